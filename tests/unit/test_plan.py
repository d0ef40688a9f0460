"""Introspection and nesting decisions, read from the route plan (no HTTP, no database)."""

from __future__ import annotations

from typing import Any, get_args

import pytest

from djgateway import ConfigurationError, Gateway, Resource
from djgateway.binding.endpoints import path_type
from djgateway.plan import GatewayPlan, ResourcePlan
from djgateway.sandbox.gateway import build_gateway

NO_OWNER = "top-level: no required CASCADE foreign key to an exposed model"
SENSITIVE = ("password", "secret_answer", "access_token", "api_key")


def plan_of(*apps: str, **resources: Resource) -> GatewayPlan:
    """The plan of ``apps``; overrides are given as ``app_label__Model=Resource(...)``."""
    overrides = {label.replace("__", "."): value for label, value in resources.items()}
    return Gateway(apps=list(apps), resources=overrides).plan


def configuration_error(*apps: str, **resources: Resource) -> ConfigurationError:
    with pytest.raises(ConfigurationError) as caught:
        plan_of(*apps, **resources)
    return caught.value


@pytest.fixture(scope="module")
def testapp_plan() -> GatewayPlan:
    return plan_of("testapp")


def field_names(resource: ResourcePlan) -> list[str]:
    return [field.name for field in resource.fields]


# --- nesting ------------------------------------------------------------------------------


def test_nesting_reaches_depth_three_under_single_cascade_foreign_keys(
    testapp_plan: GatewayPlan,
) -> None:
    library = testapp_plan.get("testapp.Library")
    shelf = testapp_plan.get("testapp.Shelf")
    book = testapp_plan.get("testapp.Book")

    assert (library.key, shelf.key, book.key) == (
        "libraries",
        "libraries.shelves",
        "libraries.shelves.books",
    )
    assert (library.parent_key, shelf.parent_key, book.parent_key) == (
        None,
        "libraries",
        "libraries.shelves",
    )
    assert book.collection_path == f"/libraries/{{library_id}}/shelves/{{{shelf.id_param}}}/books"
    assert book.item_path == f"{book.collection_path}/{{book_id}}"
    assert [(link.param, link.lookup, link.resource_key) for link in book.ancestors] == [
        ("library_id", "shelf__library", "libraries"),
        (shelf.id_param, "shelf", "libraries.shelves"),
    ]
    assert book.nesting == "nested: 'shelf' is its only required CASCADE foreign key"


def test_path_parameter_of_shelves_is_shelf_id(testapp_plan: GatewayPlan) -> None:
    book = testapp_plan.get("testapp.Book")

    assert book.item_path == "/libraries/{library_id}/shelves/{shelf_id}/books/{book_id}"


def test_singular_override_gives_the_depth_three_path(testapp_plan: GatewayPlan) -> None:
    plan = plan_of("testapp", testapp__Shelf=Resource(singular="shelf"))

    book = plan.get("testapp.Book")

    assert book.item_path == "/libraries/{library_id}/shelves/{shelf_id}/books/{book_id}"
    assert [link.param for link in book.ancestors] == ["library_id", "shelf_id"]


def test_default_accessor_falls_back_to_plural_verbose_name(testapp_plan: GatewayPlan) -> None:
    page = testapp_plan.get("testapp.Page")

    assert page.parent_field is not None
    assert page.parent_field.relation is not None
    assert page.parent_field.relation.accessor_is_default
    assert page.parent_key == "libraries.shelves.books"
    assert page.segment == "pages"
    assert page.id_param == "page_id"
    assert page.collection_path.endswith("/books/{book_id}/pages")
    assert len(page.ancestors) == 3


def test_nullable_and_protect_foreign_keys_do_not_nest(testapp_plan: GatewayPlan) -> None:
    loan = testapp_plan.get("testapp.Loan")

    assert loan.parent_key is None
    assert loan.parent_field is None
    assert loan.ancestors == ()
    assert loan.item_path == "/loans/{loan_id}"
    assert loan.nesting == NO_OWNER


def test_self_reference_stays_top_level(testapp_plan: GatewayPlan) -> None:
    node = testapp_plan.get("testapp.Node")

    assert node.parent_key is None
    assert node.item_path == "/nodes/{node_id}"
    assert node.nesting == NO_OWNER


def test_cycle_stays_top_level_with_a_reason_naming_the_cycle(testapp_plan: GatewayPlan) -> None:
    for label in ("testapp.Alpha", "testapp.Beta"):
        resource = testapp_plan.get(label)

        assert resource.parent_key is None
        assert resource.ancestors == ()
        assert resource.nesting.startswith("top-level: nesting would form a cycle")
        assert "testapp.Alpha" in resource.nesting
        assert "testapp.Beta" in resource.nesting


def test_explicit_parent_on_one_member_of_a_cycle_nests_it() -> None:
    plan = plan_of("testapp", testapp__Alpha=Resource(parent="beta"))

    alpha = plan.get("testapp.Alpha")
    beta = plan.get("testapp.Beta")

    assert alpha.item_path == "/betas/{beta_id}/alphas/{alpha_id}"
    assert alpha.nesting == "nested: chosen by Resource(parent='beta')"
    assert beta.parent_key is None
    assert "cycle" in beta.nesting


def test_explicit_parents_forming_a_cycle_are_an_error() -> None:
    error = configuration_error(
        "testapp",
        testapp__Alpha=Resource(parent="beta"),
        testapp__Beta=Resource(parent="alpha"),
    )

    assert error.code == "djgateway.E004"
    assert "testapp.Alpha" in error.message
    assert "testapp.Beta" in error.message


def test_several_candidate_parents_stay_top_level_with_both_named() -> None:
    stock_item = plan_of("catalog").get("catalog.StockItem")

    assert stock_item.parent_key is None
    assert stock_item.item_path == "/stock-items/{stock_item_id}"
    assert stock_item.nesting.startswith("top-level: several candidate parents")
    assert "'product'" in stock_item.nesting
    assert "'warehouse'" in stock_item.nesting


def test_explicit_parent_chooses_among_candidates_with_string_path_parameter() -> None:
    plan = plan_of("catalog", catalog__StockItem=Resource(parent="warehouse"))

    stock_item = plan.get("catalog.StockItem")

    assert stock_item.key == "warehouses.stock-items"
    assert stock_item.collection_path == "/warehouses/{warehouse_id}/stock-items"
    assert stock_item.item_path == "/warehouses/{warehouse_id}/stock-items/{stock_item_id}"
    assert stock_item.nesting == "nested: chosen by Resource(parent='warehouse')"
    (link,) = stock_item.ancestors
    assert (link.param, link.lookup) == ("warehouse_id", "warehouse")
    param_type: Any = path_type(link.pk)
    base, param = get_args(param_type)
    assert base is str
    assert param.metadata and any(getattr(m, "max_length", None) == 12 for m in param.metadata)


def test_integer_primary_key_gives_integer_path_parameter() -> None:
    review = plan_of("catalog").get("catalog.Review")

    (link,) = review.ancestors
    base, _param = get_args(path_type(link.pk))

    assert link.param == "product_id"
    assert base is int


def test_parent_none_forces_top_level() -> None:
    plan = plan_of("testapp", testapp__Shelf=Resource(parent=None))

    shelf = plan.get("testapp.Shelf")
    book = plan.get("testapp.Book")

    assert shelf.parent_key is None
    assert shelf.ancestors == ()
    assert shelf.nesting == "top-level: forced by Resource(parent=None)"
    assert not shelf.collection_path.startswith("/libraries")
    assert book.parent_key == shelf.key
    assert [link.param for link in book.ancestors] == [shelf.id_param]


@pytest.mark.parametrize(
    ("app", "label", "parent", "fragment"),
    [
        ("catalog", "catalog.StockItem", "nope", "names no field"),
        ("catalog", "catalog.StockItem", "quantity", "is not a foreign key"),
        ("catalog", "catalog.Product", "tags", "is not a foreign key"),
        ("testapp", "testapp.Node", "parent", "not another exposed model"),
    ],
    ids=["no-such-field", "not-a-foreign-key", "many-to-many", "self-reference"],
)
def test_bad_parent_option_is_a_configuration_error(
    app: str, label: str, parent: str, fragment: str
) -> None:
    error = configuration_error(app, **{label.replace(".", "__"): Resource(parent=parent)})

    assert error.code == "djgateway.E003"
    assert label in error.message
    assert fragment in error.message


def test_parent_pointing_to_a_hidden_model_is_a_configuration_error() -> None:
    error = configuration_error(
        "catalog",
        catalog__Category=Resource(expose=False),
        catalog__Product=Resource(parent="category"),
    )

    assert error.code == "djgateway.E003"
    assert "catalog.Category" in error.message


# --- overrides ----------------------------------------------------------------------------


def test_override_for_a_model_outside_the_apps_is_a_configuration_error() -> None:
    error = configuration_error("testapp", catalog__Product=Resource())

    assert error.code == "djgateway.E001"
    assert "catalog.Product" in error.message


def test_override_for_an_unknown_model_is_a_configuration_error() -> None:
    error = configuration_error("testapp", testapp__Missing=Resource())

    assert error.code == "djgateway.E001"
    assert "testapp.Missing" in error.message


@pytest.mark.parametrize("option", ["fields", "exclude", "read_only"])
def test_unknown_field_name_in_an_option_is_a_configuration_error(option: str) -> None:
    resource = Resource(**{option: ["name", "no_such_field"]})

    error = configuration_error("testapp", testapp__Library=resource)

    assert error.code == "djgateway.E002"
    assert f"Resource({option}=...)" in error.message
    assert "no_such_field" in error.message
    assert "testapp.Library" in error.message


def test_field_options_accept_the_foreign_key_attname() -> None:
    plan = plan_of("catalog", catalog__Product=Resource(read_only=["category_id"]))

    product = plan.get("catalog.Product")

    assert "category" in field_names(product)
    assert "category" not in [f.name for f in product.writable]


def test_excluded_field_is_hidden_with_its_reason() -> None:
    plan = plan_of("testapp", testapp__Book=Resource(exclude=["title"]))

    book = plan.get("testapp.Book")

    assert "title" not in field_names(book)
    assert "title: excluded" in book.hidden


def test_unexposed_model_is_absent_and_its_children_become_top_level() -> None:
    plan = plan_of("testapp", testapp__Library=Resource(expose=False))

    shelf = plan.get("testapp.Shelf")
    book = plan.get("testapp.Book")

    with pytest.raises(KeyError):
        plan.get("testapp.Library")
    assert all(not r.collection_path.startswith("/libraries") for r in plan)
    assert shelf.parent_key is None
    assert shelf.nesting == NO_OWNER
    assert book.parent_key == shelf.key
    assert book.item_path == f"/{shelf.segment}/{{{shelf.id_param}}}/books/{{book_id}}"


def test_proxy_model_is_skipped_by_default(testapp_plan: GatewayPlan) -> None:
    assert "testapp.LibraryProxy" not in {r.label for r in testapp_plan}


def test_proxy_model_is_exposed_when_named_with_expose_true() -> None:
    plan = plan_of("testapp", testapp__LibraryProxy=Resource(expose=True))

    proxy = plan.get("testapp.LibraryProxy")

    assert proxy.model.is_proxy
    assert proxy.parent_key is None
    assert proxy.schema_name == "LibraryProxy"
    assert proxy.collection_path != plan.get("testapp.Library").collection_path


# --- collisions ---------------------------------------------------------------------------


def test_same_named_models_of_two_apps_are_qualified_by_their_app_label() -> None:
    plan = plan_of("catalog", "testapp")

    assert plan.get("catalog.Tag").collection_path == "/catalog-tags"
    assert plan.get("testapp.Tag").collection_path == "/testapp-tags"
    assert plan.get("catalog.Tag").id_param == "catalog_tag_id"
    assert (plan.get("catalog.Tag").schema_name, plan.get("testapp.Tag").schema_name) == (
        "CatalogTag",
        "TestappTag",
    )


def test_an_explicit_name_is_never_qualified_and_a_clash_with_it_names_both_models() -> None:
    error = configuration_error("catalog", "testapp", testapp__Tag=Resource(name="tags"))

    assert error.code == "djgateway.E005"
    assert "'/tags'" in error.message
    assert "catalog.Tag" in error.message
    assert "testapp.Tag" in error.message


def test_component_name_collision_names_both_models() -> None:
    error = configuration_error(
        "catalog", "testapp", testapp__Tag=Resource(name="labels", schema_name="Tag")
    )

    assert error.code == "djgateway.E006"
    assert "'Tag'" in error.message
    assert "catalog.Tag" in error.message
    assert "testapp.Tag" in error.message


def test_every_error_is_reported_at_once() -> None:
    error = configuration_error(
        "catalog",
        "testapp",
        testapp__Tag=Resource(name="tags"),
        testapp__Book=Resource(exclude=["nope"]),
    )

    codes = sorted(problem.code for problem in error.problems)
    assert codes == ["djgateway.E002", "djgateway.E005"]
    assert str(error).startswith("2 problems:")


def test_schema_name_resolves_a_component_name_collision() -> None:
    plan = plan_of("catalog", "testapp", testapp__Tag=Resource(name="labels", schema_name="Label"))

    assert plan.get("testapp.Tag").schema_name == "Label"
    assert plan.get("testapp.Tag").collection_path == "/labels"
    assert plan.get("catalog.Tag").schema_name == "Tag"
    assert plan.get("catalog.Tag").collection_path == "/tags"


# --- sensitive fields ---------------------------------------------------------------------


def test_sensitive_fields_are_hidden_by_default(testapp_plan: GatewayPlan) -> None:
    account = testapp_plan.get("testapp.Account")

    assert field_names(account) == ["id", "name"]
    assert [f.name for f in account.writable] == ["name"]
    for name in SENSITIVE:
        assert f"{name}: sensitive (list it in Resource(fields=...) to expose)" in account.hidden


def test_sensitive_fields_are_exposed_when_listed_in_fields() -> None:
    plan = plan_of("testapp", testapp__Account=Resource(fields=["name", *SENSITIVE]))

    account = plan.get("testapp.Account")

    assert field_names(account) == ["id", "name", *SENSITIVE]
    assert [f.name for f in account.writable] == ["name", *SENSITIVE]
    assert account.hidden == ()


def test_fields_allow_list_hides_the_sensitive_fields_it_does_not_name() -> None:
    plan = plan_of("testapp", testapp__Account=Resource(fields=["name", "password"]))

    account = plan.get("testapp.Account")

    assert field_names(account) == ["id", "name", "password"]
    assert "api_key: not in Resource(fields=...)" in account.hidden


def test_excluding_other_fields_does_not_expose_sensitive_ones() -> None:
    plan = plan_of("testapp", testapp__Account=Resource(exclude=["name"]))

    assert field_names(plan.get("testapp.Account")) == ["id"]


# --- names --------------------------------------------------------------------------------


def test_name_and_singular_rename_segment_and_path_parameter() -> None:
    plan = plan_of("testapp", testapp__Shelf=Resource(name="racks", singular="rack"))

    shelf = plan.get("testapp.Shelf")
    book = plan.get("testapp.Book")

    assert (shelf.key, shelf.segment, shelf.singular, shelf.id_param) == (
        "libraries.racks",
        "racks",
        "rack",
        "rack_id",
    )
    assert shelf.item_path == "/libraries/{library_id}/racks/{rack_id}"
    assert book.item_path == "/libraries/{library_id}/racks/{rack_id}/books/{book_id}"
    assert shelf.operation("list").operation_id == "list_libraries_racks"
    assert book.operation("retrieve").operation_id == "retrieve_libraries_racks_books"


def test_name_alone_derives_the_path_parameter_from_the_segment() -> None:
    plan = plan_of("testapp", testapp__Library=Resource(name="branches"))

    library = plan.get("testapp.Library")

    assert library.item_path == "/branches/{branch_id}"


def test_operations_cover_every_action_with_paths_and_status_codes(
    testapp_plan: GatewayPlan,
) -> None:
    shelf = testapp_plan.get("testapp.Shelf")

    assert [(op.action, op.method, op.path, op.status_code) for op in shelf.operations] == [
        ("list", "GET", shelf.collection_path, 200),
        ("create", "POST", shelf.collection_path, 201),
        ("retrieve", "GET", shelf.item_path, 200),
        ("replace", "PUT", shelf.item_path, 200),
        ("update", "PATCH", shelf.item_path, 200),
        ("delete", "DELETE", shelf.item_path, 204),
        ("aggregate", "GET", f"{shelf.collection_path}:aggregate/{{function}}/{{field}}", 200),
    ]
    assert shelf.key == "libraries.shelves"
    assert shelf.tag == "Shelves"  # the segment, readable (Django's plural reads "shelfs")


def test_plan_is_deterministic() -> None:
    first = build_gateway().plan
    second = build_gateway().plan

    assert first == second
    assert [r.key for r in first] == [r.key for r in second]
    assert [(op.operation_id, op.path, r.tag) for r in first for op in r.operations] == [
        (op.operation_id, op.path, r.tag) for r in second for op in r.operations
    ]


def test_parents_come_before_children_and_siblings_are_sorted(testapp_plan: GatewayPlan) -> None:
    keys = [r.key for r in testapp_plan]

    for resource in testapp_plan:
        if resource.parent_key is not None:
            assert keys.index(resource.parent_key) < keys.index(resource.key)
    top_level = [r.segment for r in testapp_plan.children(None)]
    assert top_level == sorted(top_level)


def test_sandbox_operation_ids_are_unique() -> None:
    plan = build_gateway().plan

    operation_ids = [op.operation_id for r in plan for op in r.operations]

    # seven per resource, plus list/link/unlink for the products' tags (a many-to-many)
    assert len(operation_ids) == 7 * len(plan.resources) + 3
    assert len(set(operation_ids)) == len(operation_ids)
    assert {"list_related_products_tags", "link_products_tags"} <= set(operation_ids)
    assert "list_companies_departments_teams" in operation_ids


def test_sandbox_hides_the_unexposed_audit_entries() -> None:
    plan = build_gateway().plan

    assert "business.AuditEntry" not in {r.label for r in plan}
    assert plan.get("business.CompanyDepartmentTeam").item_path == (
        "/companies/{company_id}/departments/{department_id}/teams/{team_id}"
    )
