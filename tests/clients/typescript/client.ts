// A client generated from the sandbox's OpenAPI document (openapi-typescript + openapi-fetch),
// run against a live sandbox by .ci/clients: every call is typed by the document, every answer
// asserted. `tsc --noEmit` (strict) is half the check: a list item's required key read as
// `string`, a 422's body read as the Problem schema, only compile if the document says so.
import assert from "node:assert/strict";

import createClient from "openapi-fetch";

import type { components, paths } from "./generated/schema.js";

type Problem = components["schemas"]["Problem"];

const baseUrl = required("DJGATEWAY_CLIENT_BASE_URL");
const token = required("DJGATEWAY_CLIENT_TOKEN");
const run = `ts-${process.pid}`; // unique values, so a rerun on the same database passes

const catalog = createClient<paths>({ baseUrl });
const business = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

let steps = 0;
function passed(step: string): void {
  steps += 1;
  console.log(`  ok  ${step}`);
}

async function listProducts(): Promise<void> {
  const { data, error, response } = await catalog.GET("/api/products", {
    params: { query: { price__gte: 5, order_by: ["-in_stock", "-price"], count: "exact" } },
  });
  assert.equal(response.status, 200, JSON.stringify(error));
  assert.ok(data);
  // Required in the list item: `string`, not `string | undefined`; strict tsc checks this line.
  const skus: string[] = data.items.map((product) => product.sku);
  const prices: number[] = data.items.map((product) => Number(product.price));
  assert.ok(skus.length > 0, "the demo data has products priced 5 or more");
  assert.equal(data.count, skus.length, "count=exact counts every matching row");
  assert.ok(prices.every((price) => price >= 5), `price__gte=5 filtered: ${prices}`);
  const expected = [...data.items].sort(
    (a, b) => Number(b.in_stock) - Number(a.in_stock) || Number(b.price) - Number(a.price),
  );
  assert.deepEqual(skus, expected.map((product) => product.sku), "ordered by -in_stock, -price");
  passed(`list products: price__gte, order_by=-in_stock&order_by=-price, count=exact (${skus.length})`);

  const chosen = skus.slice(0, 2).sort();
  const filtered = await catalog.GET("/api/products", {
    params: { query: { sku__in: chosen, order_by: ["sku"], fields: ["sku", "price"] } },
  });
  assert.equal(filtered.response.status, 200, JSON.stringify(filtered.error));
  assert.deepEqual(filtered.data?.items.map((product) => product.sku), chosen);
  // A sparse fieldset: the keys `fields` did not name are left out, required or not.
  assert.deepEqual(Object.keys(filtered.data?.items[0] ?? {}).sort(), ["price", "sku"]);
  passed("list products: sku__in repeated, fields=sku&fields=price (a sparse fieldset)");
}

async function productLifecycle(): Promise<void> {
  const created = await catalog.POST("/api/products", {
    body: { sku: `${run}-1`, name: "Typed client", price: "12.50", tags: [] },
  });
  assert.equal(created.response.status, 201, JSON.stringify(created.error));
  assert.ok(created.data);
  const product = created.data;
  assert.equal(product.price, "12.50");
  assert.equal(product.in_stock, true, "the documented default");
  assert.match(created.response.headers.get("location") ?? "", new RegExp(`/api/products/${product.id}$`));
  passed(`create product ${product.id}`);

  const path = { product_id: product.id };
  const review = await catalog.POST("/api/products/{product_id}/reviews", {
    params: { path },
    body: { author: "ts", stars: 4, body: "Compiles." },
  });
  assert.equal(review.response.status, 201, JSON.stringify(review.error));
  assert.equal(review.data?.product_id, product.id);
  const reviews = await catalog.GET("/api/products/{product_id}/reviews", {
    params: { path, query: { stars__gte: 4, order_by: ["-stars", "author"] } },
  });
  assert.deepEqual(reviews.data?.items.map((item) => item.author), ["ts"]);
  passed("nested create and list: a review under the product");

  const read = await catalog.GET("/api/products/{product_id}", { params: { path } });
  assert.equal(read.response.status, 200);
  assert.equal(read.data?.sku, `${run}-1`);
  assert.equal(read.data?.last_seen_ip, null);
  passed("read product");

  const patched = await catalog.PATCH("/api/products/{product_id}", {
    params: { path },
    body: { name: "Typed client, patched", last_seen_ip: "192.0.2.7", homepage: "https://example.com/ts" },
  });
  assert.equal(patched.response.status, 200, JSON.stringify(patched.error));
  assert.equal(patched.data?.name, "Typed client, patched");
  assert.equal(patched.data?.last_seen_ip, "192.0.2.7");
  assert.equal(patched.data?.price, "12.50", "a PATCH leaves other fields alone");
  passed("patch product");

  const refused = await catalog.PATCH("/api/products/{product_id}", {
    params: { path },
    body: { price: "-1.00" },
  });
  assert.equal(refused.response.status, 422);
  assert.ok(refused.error);
  const problem: Problem = refused.error; // the error body is typed as the Problem schema
  assert.equal(problem.status, 422);
  assert.equal(refused.response.headers.get("content-type"), "application/problem+json");
  assert.deepEqual(problem.errors?.map((e) => e.loc), [["body", "price"]]);
  passed("422: a negative price, answered as a typed Problem");

  const deleted = await catalog.DELETE("/api/products/{product_id}", { params: { path } });
  assert.equal(deleted.response.status, 204);
  const gone = await catalog.GET("/api/products/{product_id}", { params: { path } });
  assert.equal(gone.response.status, 404);
  assert.equal(gone.error?.status, 404);
  passed("delete product (its reviews with it), then 404");
}

async function companyChain(): Promise<void> {
  const anonymous = await catalog.GET("/api/companies");
  assert.equal(anonymous.response.status, 401);
  assert.equal(anonymous.error?.title, "Unauthorized");
  passed("401 without a token");

  const company = await business.POST("/api/companies", {
    body: { name: `${run} GmbH`, founded: "2001-02-03" },
  });
  assert.equal(company.response.status, 201, JSON.stringify(company.error));
  assert.ok(company.data);
  const companyId = company.data.id;
  passed(`create company ${companyId} (bearer token)`);

  const department = await business.POST("/api/companies/{company_id}/departments", {
    params: { path: { company_id: companyId } },
    body: { name: "Research" },
  });
  assert.equal(department.response.status, 201, JSON.stringify(department.error));
  assert.ok(department.data);
  assert.equal(department.data.company_id, companyId);
  const path = { company_id: companyId, department_id: department.data.id };
  for (const [name, headcount] of [["Alpha", 3], ["Beta", 7], ["Gamma", 7]] as const) {
    const team = await business.POST("/api/companies/{company_id}/departments/{department_id}/teams", {
      params: { path },
      body: { name, headcount },
    });
    assert.equal(team.response.status, 201, JSON.stringify(team.error));
  }
  passed("nested create: a department, three teams under it");

  const teams = await business.GET("/api/companies/{company_id}/departments/{department_id}/teams", {
    params: { path, query: { headcount__gte: 5, order_by: ["-headcount", "-name"], count: "exact" } },
  });
  assert.equal(teams.response.status, 200, JSON.stringify(teams.error));
  assert.ok(teams.data);
  const names: string[] = teams.data.items.map((team) => team.name);
  assert.deepEqual(names, ["Gamma", "Beta"]);
  assert.equal(teams.data.count, 2);
  passed("list teams: headcount__gte, order_by=-headcount&order_by=-name, count=exact");

  const read = await business.GET("/api/companies/{company_id}/departments/{department_id}", {
    params: { path },
  });
  assert.equal(read.data?.name, "Research");
  const patched = await business.PATCH("/api/companies/{company_id}/departments/{department_id}", {
    params: { path },
    body: { name: "Research & Development" },
  });
  assert.equal(patched.response.status, 200, JSON.stringify(patched.error));
  assert.equal(patched.data?.name, "Research & Development");
  passed("read and patch the department");

  const duplicate = await business.POST("/api/companies/{company_id}/departments", {
    params: { path: { company_id: companyId } },
    body: { name: "Research & Development" },
  });
  assert.equal(duplicate.response.status, 409);
  const conflict: Problem | undefined = duplicate.error;
  assert.deepEqual(conflict?.errors?.map((e) => e.code), ["unique_together"]);
  const negative = await business.POST("/api/companies/{company_id}/departments/{department_id}/teams", {
    params: { path },
    body: { name: "Delta", headcount: -1 },
  });
  assert.equal(negative.response.status, 422);
  const problem: Problem | undefined = negative.error;
  assert.deepEqual(problem?.errors?.map((e) => e.loc), [["body", "headcount"]]);
  passed("409 for a department name taken, 422 for a negative headcount: typed Problems");

  const deleted = await business.DELETE("/api/companies/{company_id}", {
    params: { path: { company_id: companyId } },
  });
  assert.equal(deleted.response.status, 204);
  const gone = await business.GET("/api/companies/{company_id}/departments/{department_id}", {
    params: { path },
  });
  assert.equal(gone.response.status, 404);
  passed("delete the company, then its department is a 404");
}

const started = performance.now();
await listProducts();
await productLifecycle();
await companyChain();
console.log(`typescript client: ${steps} steps passed in ${Math.round(performance.now() - started)} ms`);
