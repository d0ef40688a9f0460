"""The generated pydantic schemas of every built-in field type: JSON schema and validation."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterator
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from djgateway import ConfigurationError, Gateway, Resource, register_field
from djgateway.introspect import FieldInfo
from djgateway.sandbox.gateway import build_gateway
from djgateway.schemas import ResourceSchemas, fields, python_type
from djgateway.schemas.formats import EMAIL, NAIVE_TIME, WEB_URL

INT64_MIN, INT64_MAX = fields.INT64
CREATE_BASE: dict[str, Any] = {"sku": "SKU-1", "name": "Widget", "price": "9.99"}
READ_BASE: dict[str, Any] = {
    "id": 1,
    "sku": "SKU-1",
    "name": "Widget",
    "description": "",
    "price": "9.99",
    "weight": None,
    "in_stock": True,
    "release_date": None,
    "available_from": None,
    "warranty": None,
    "attributes": {},
    "homepage": "",
    "last_seen_ip": None,
    "public_id": "6f1c1b8e-9a1e-4c8b-8d57-0b8f6b7d1f00",
    "rating": None,
    "stock": 0,
    "views": 0,
    "position": 0,
    "manual": "",
    "checksum": None,
    "created": "2024-05-01T10:00:00+00:00",
    "category_id": None,
    "tags": [],
}
WRITE_ACTIONS = ("create", "replace", "patch")


@pytest.fixture(scope="module")
def catalog() -> dict[str, ResourceSchemas]:
    return Gateway(apps=["catalog"]).schemas


@pytest.fixture(scope="module")
def products(catalog: dict[str, ResourceSchemas]) -> ResourceSchemas:
    return catalog["products"]


@pytest.fixture(scope="module")
def business() -> dict[str, ResourceSchemas]:
    return Gateway(apps=["business"]).schemas


def properties(schema: type[BaseModel]) -> dict[str, Any]:
    result: dict[str, Any] = schema.model_json_schema()["properties"]
    return result


def non_null(prop: dict[str, Any]) -> dict[str, Any]:
    """The non-null branch of ``anyOf: [X, null]`` (or the property itself)."""
    if "anyOf" not in prop:
        return prop
    (branch,) = [b for b in prop["anyOf"] if b != {"type": "null"}]
    assert {"type": "null"} in prop["anyOf"]
    result: dict[str, Any] = branch
    return result


def create(products: ResourceSchemas, **values: Any) -> BaseModel:
    return products.create.model_validate({**CREATE_BASE, **values})


def rejects(products: ResourceSchemas, **values: Any) -> None:
    with pytest.raises(ValidationError):
        create(products, **values)


def schema_keys(node: Any) -> Iterator[str]:
    """Every keyword of a JSON schema (property and definition names are not keywords)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            if key in ("properties", "$defs", "definitions") and isinstance(value, dict):
                for child in value.values():
                    yield from schema_keys(child)
            else:
                yield from schema_keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from schema_keys(item)


# --- primary keys and read-only fields ----------------------------------------------------


@pytest.mark.parametrize(
    ("app", "key", "documented"),
    [
        # a 64-bit column's upper limit is its format's: no double holds 2**63 - 1
        ("catalog", "products", {"format": "int64", "minimum": 1}),
        ("testapp", "libraries", {"format": "int32", "minimum": 1, "maximum": 2**31 - 1}),
    ],
    ids=["BigAutoField", "AutoField"],
)
def test_auto_primary_key_is_read_only_with_its_range(
    app: str, key: str, documented: dict[str, Any]
) -> None:
    schemas = Gateway(apps=[app]).schemas[key]

    assert properties(schemas.read)["id"] == {"title": "Id", "type": "integer", **documented}
    for action in WRITE_ACTIONS:
        assert "id" not in properties(getattr(schemas, action))


def test_auto_now_and_non_editable_fields_are_only_in_read(products: ResourceSchemas) -> None:
    read = properties(products.read)

    assert read["created"] == {"format": "date-time", "title": "Created", "type": "string"}
    assert "checksum" in read
    for action in WRITE_ACTIONS:
        assert {"created", "checksum"}.isdisjoint(properties(getattr(products, action)))


def test_read_only_date_time_accepts_iso_strings_but_not_numbers(
    products: ResourceSchemas,
) -> None:
    read = products.read.model_validate(READ_BASE)

    assert read.model_dump()["created"] == datetime.datetime(2024, 5, 1, 10, tzinfo=datetime.UTC)
    with pytest.raises(ValidationError):
        products.read.model_validate({**READ_BASE, "created": 1714557600})


def test_create_requires_exactly_the_fields_without_default_blank_or_null(
    products: ResourceSchemas,
) -> None:
    assert products.create.model_json_schema()["required"] == ["sku", "name", "price"]
    assert products.replace.model_json_schema()["required"] == ["sku", "name", "price"]
    assert "required" not in products.patch.model_json_schema()
    with pytest.raises(ValidationError):
        products.create.model_validate({"sku": "SKU-1", "name": "Widget"})


# --- strings ------------------------------------------------------------------------------


def test_char_field_carries_max_length(products: ResourceSchemas) -> None:
    assert properties(products.read)["sku"] == {"maxLength": 32, "title": "Sku", "type": "string"}
    assert create(products, sku="x" * 32).model_dump()["sku"] == "x" * 32
    rejects(products, sku="x" * 33)
    rejects(products, sku=5)


def test_text_that_may_not_be_blank_needs_a_character_in_requests(
    products: ResourceSchemas,
) -> None:
    for action in WRITE_ACTIONS:
        assert properties(getattr(products, action))["sku"]["minLength"] == 1
    assert "minLength" not in properties(products.read)["sku"]
    assert "minLength" not in properties(products.create)["description"]  # blank=True
    rejects(products, sku="")


def test_text_field_has_no_max_length_and_rejects_nul(products: ResourceSchemas) -> None:
    # NUL is refused without a pattern: documentation tools would show a random example of it
    assert properties(products.create)["description"] == {
        "title": "Description",
        "type": "string",
    }
    assert create(products, description="x" * 10_000).model_dump()["description"] == "x" * 10_000
    with pytest.raises(ValidationError) as refused:
        create(products, description="a\x00b")
    (error,) = refused.value.errors()
    assert (error["type"], error["loc"]) == ("null_characters_not_allowed", ("description",))


def test_slug_field_has_a_pattern(catalog: dict[str, ResourceSchemas]) -> None:
    categories = catalog["categories"].create

    assert properties(categories)["slug"]["pattern"] == "^[-a-zA-Z0-9_]+$"
    assert properties(categories)["slug"]["examples"] == ["summer-sale"]
    assert categories.model_validate({"name": "Tools", "slug": "hand_tools-2"})
    with pytest.raises(ValidationError):
        categories.model_validate({"name": "Tools", "slug": "hand tools!"})


def test_ip_address_field_is_ipv4_or_ipv6_or_empty_when_blank(products: ResourceSchemas) -> None:
    prop = properties(products.create)["last_seen_ip"]

    # string branches only: generated clients read one string type (a const "" broke them)
    assert prop["anyOf"] == [
        {
            "anyOf": [
                {"format": "ipv4", "maxLength": 39, "type": "string"},
                {"format": "ipv6", "maxLength": 39, "type": "string"},
                {"maxLength": 0, "type": "string"},
            ],
            "examples": ["192.0.2.10", "2001:db8::10"],
        },
        {"type": "null"},
    ]
    for address in ("192.0.2.10", "2001:db8::10", "", None):
        assert create(products, last_seen_ip=address).model_dump()["last_seen_ip"] == address
    for address in ("192.0.2.256", "fe80::1%eth0", " 192.0.2.10", "localhost"):
        rejects(products, last_seen_ip=address)


def test_email_field_is_an_email_django_accepts_or_empty_when_blank(
    business: dict[str, ResourceSchemas],
) -> None:
    employees = business["companies.employees"]

    assert properties(employees.read)["email"]["anyOf"] == [
        {"format": "email", "maxLength": 254, "pattern": EMAIL, "type": "string"},
        {"maxLength": 0, "type": "string"},
    ]
    assert properties(employees.read)["email"]["examples"] == ["jane.doe@example.com"]
    valid = {"user_id": "u", "email": "first.last@example.com"}
    assert employees.create.model_validate(valid).model_dump()["email"] == valid["email"]
    assert employees.create.model_validate({"user_id": "u", "email": ""})
    # "0@0.a" is an "email" to JSON Schema, not to Django; 65 characters before "@" the reverse
    for email in ("0@0.a", f"{'a' * 65}@example.com", "no-at-sign"):
        with pytest.raises(ValidationError):
            employees.create.model_validate({"user_id": "u", "email": email})


def test_url_field_is_a_web_url_or_empty_when_blank(products: ResourceSchemas) -> None:
    assert properties(products.read)["homepage"]["anyOf"] == [
        {"format": "uri", "maxLength": 200, "pattern": WEB_URL, "type": "string"},
        {"maxLength": 0, "type": "string"},
    ]
    for url in ("https://tools.example", "http://a.example:8080/b%20c/d?e=f&g"):
        assert create(products, homepage=url).model_dump()["homepage"] == url
    for url in ("a:b", "ftp://x.example", "https://localhost"):
        rejects(products, homepage=url)


def test_file_field_is_the_stored_name_as_a_string(products: ResourceSchemas) -> None:
    assert properties(products.create)["manual"] == {
        "maxLength": 100,
        "title": "Manual",
        "type": "string",
    }
    assert create(products, manual="manuals/a.pdf").model_dump()["manual"] == "manuals/a.pdf"


# --- UUIDs --------------------------------------------------------------------------------


def test_uuid_field_has_uuid_format_and_accepts_only_uuid_strings(
    products: ResourceSchemas,
) -> None:
    value = uuid.uuid4()

    assert properties(products.create)["public_id"]["format"] == "uuid"
    assert create(products, public_id=str(value)).model_dump()["public_id"] == value
    rejects(products, public_id="not-a-uuid")
    rejects(products, public_id=value.int)


def test_uuid_primary_key_with_default_is_optional_in_create_and_absent_afterwards(
    catalog: dict[str, ResourceSchemas],
) -> None:
    tags = catalog["tags"]

    create_schema = tags.create.model_json_schema()
    assert create_schema["properties"]["id"] == {"format": "uuid", "title": "Id", "type": "string"}
    assert "id" not in create_schema["required"]
    assert "id" not in tags.create.model_validate({"name": "red"}).model_fields_set
    assert "id" not in properties(tags.replace)
    assert "id" not in properties(tags.patch)
    with pytest.raises(ValidationError):
        tags.replace.model_validate({"id": str(uuid.uuid4()), "name": "red"})


# --- numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "minimum", "maximum"),
    [
        ("position", 0, 2**15 - 1),
        ("stock", 0, 2**31 - 1),
        ("views", INT64_MIN, INT64_MAX),
        ("rating", 1, 5),
    ],
    ids=["PositiveSmallIntegerField", "PositiveIntegerField", "BigIntegerField", "validators"],
)
def test_integer_fields_carry_their_range(
    products: ResourceSchemas, name: str, minimum: int, maximum: int
) -> None:
    prop = non_null(properties(products.create)[name])

    if (minimum, maximum) == (INT64_MIN, INT64_MAX):  # stated exactly by the format alone
        assert (prop["type"], prop["format"]) == ("integer", "int64")
        assert not {"minimum", "maximum"} & set(prop)
    else:
        documented = (prop["type"], prop["format"], prop["minimum"], prop["maximum"])
        assert documented == ("integer", "int32", minimum, maximum)
    assert create(products, **{name: minimum}).model_dump()[name] == minimum
    assert create(products, **{name: maximum}).model_dump()[name] == maximum
    rejects(products, **{name: minimum - 1})
    rejects(products, **{name: maximum + 1})


@pytest.mark.parametrize("value", [True, "5", 3.5, None], ids=["bool", "str", "fraction", "null"])
def test_integers_are_strict(products: ResourceSchemas, value: Any) -> None:
    rejects(products, stock=value)


def test_integral_float_is_accepted_as_an_integer(products: ResourceSchemas) -> None:
    stock = create(products, stock=3.0).model_dump()["stock"]

    assert stock == 3
    assert type(stock) is int


def test_integral_float_is_accepted_from_json(products: ResourceSchemas) -> None:
    body = '{"sku": "SKU-1", "name": "Widget", "price": "9.99", "stock": 3.0}'

    assert products.create.model_validate_json(body).model_dump()["stock"] == 3


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12345678.90", decimal.Decimal("12345678.90")),
        ("0.5", decimal.Decimal("0.5")),
        (5, decimal.Decimal(5)),
    ],
)
def test_decimal_accepts_values_within_its_digits(
    products: ResourceSchemas, value: Any, expected: decimal.Decimal
) -> None:
    assert create(products, price=value).model_dump()["price"] == expected


@pytest.mark.parametrize(
    "value",
    ["123456789.00", "1.234", "-1", "NaN", "Infinity", "abc"],
    ids=["too-many-digits", "too-many-places", "below-min-validator", "nan", "inf", "garbage"],
)
def test_decimal_rejects_values_outside_its_digits(products: ResourceSchemas, value: str) -> None:
    rejects(products, price=value)


def test_decimal_schema_is_a_number_or_a_string_with_its_digits(
    products: ResourceSchemas,
) -> None:
    assert properties(products.create)["price"]["anyOf"] == [
        {"maximum": 99999999.99, "minimum": 0.0, "multipleOf": 0.01, "type": "number"},
        {"pattern": r"^[0-9]{1,8}(\.[0-9]{1,2})?$", "type": "string"},
    ]
    read = products.read.model_json_schema(mode="serialization")["properties"]
    assert read["price"] == {"title": "Price", "type": "string"}
    for text in ("", "1e3", "+1", " 1"):
        rejects(products, price=text)


def test_float_accepts_numbers_and_rejects_non_finite_and_strings(
    products: ResourceSchemas,
) -> None:
    assert non_null(properties(products.create)["weight"]) == {"type": "number"}
    assert create(products, weight=1.5).model_dump()["weight"] == 1.5
    assert create(products, weight=2).model_dump()["weight"] == 2.0
    for value in (float("nan"), float("inf"), float("-inf"), "1.5", True):
        rejects(products, weight=value)


def test_boolean_is_strict(products: ResourceSchemas) -> None:
    assert properties(products.create)["in_stock"] == {
        "default": True,
        "title": "In Stock",
        "type": "boolean",
    }
    assert create(products, in_stock=False).model_dump()["in_stock"] is False
    for value in ("true", 1, 0, "yes"):
        rejects(products, in_stock=value)


# --- dates and times ----------------------------------------------------------------------


TEMPORAL_SCHEMAS = {
    "release_date": {"format": "date", "type": "string"},
    "available_from": {"examples": ["09:30:00"], "pattern": NAIVE_TIME, "type": "string"},
    "warranty": {"format": "duration", "type": "string"},
}


@pytest.mark.parametrize(
    ("name", "text", "expected", "number"),
    [
        ("release_date", "2024-05-01", datetime.date(2024, 5, 1), 20240501),
        ("available_from", "12:30:00", datetime.time(12, 30), 1230),
        ("warranty", "P1DT2H", datetime.timedelta(days=1, hours=2), 93600),
    ],
    ids=["DateField", "TimeField", "DurationField"],
)
def test_temporal_fields_accept_iso_strings_and_reject_numbers(
    products: ResourceSchemas, name: str, text: str, expected: Any, number: int
) -> None:
    assert non_null(properties(products.create)[name]) == TEMPORAL_SCHEMAS[name]
    assert create(products, **{name: text}).model_dump()[name] == expected
    rejects(products, **{name: number})
    rejects(products, **{name: float(number)})


# --- JSON and binary ----------------------------------------------------------------------


def test_json_field_with_dict_default_is_optional_and_takes_any_json(
    products: ResourceSchemas,
) -> None:
    schema = products.create.model_json_schema()
    value = {"size": [1, 2.5, None], "nested": {"ok": True}}

    assert "attributes" not in schema["required"]
    assert "default" not in schema["properties"]["attributes"]
    assert "attributes" not in create(products).model_fields_set
    assert create(products, attributes=value).model_dump()["attributes"] == value


def test_binary_field_is_base64_in_read_only(products: ResourceSchemas) -> None:
    assert non_null(properties(products.read)["checksum"])["type"] == "string"
    for action in WRITE_ACTIONS:
        assert "checksum" not in properties(getattr(products, action))


# --- choices ------------------------------------------------------------------------------


def test_choices_with_blank_allow_the_empty_string(catalog: dict[str, ResourceSchemas]) -> None:
    tags = catalog["tags"].create

    assert properties(tags)["color"]["enum"] == ["#ff0000", "#00ff00", "#0000ff", ""]
    assert tags.model_validate({"name": "t", "color": ""}).model_dump()["color"] == ""
    assert tags.model_validate({"name": "t", "color": "#00ff00"})
    with pytest.raises(ValidationError):
        tags.model_validate({"name": "t", "color": "#123456"})


def test_choices_become_an_enum_with_the_model_default(
    business: dict[str, ResourceSchemas],
) -> None:
    employees = business["companies.employees"]

    prop = properties(employees.create)["type"]
    assert (prop["enum"], prop["default"]) == (["owner", "admin", "member"], "member")
    assert employees.create.model_validate({"user_id": "u1"}).model_dump()["type"] == "member"
    assert employees.create.model_validate({"user_id": "u1", "type": "admin"})
    with pytest.raises(ValidationError):
        employees.create.model_validate({"user_id": "u1", "type": "boss"})
    assert "default" not in properties(employees.patch)["type"]


# --- null, relations ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "weight",
        "rating",
        "release_date",
        "available_from",
        "warranty",
        "last_seen_ip",
        "category_id",
    ],
)
def test_nullable_fields_accept_none(products: ResourceSchemas, name: str) -> None:
    assert {"type": "null"} in properties(products.create)[name]["anyOf"]
    assert create(products, **{name: None}).model_dump()[name] is None


@pytest.mark.parametrize("name", ["sku", "description", "in_stock", "stock", "public_id", "tags"])
def test_non_nullable_fields_reject_none(products: ResourceSchemas, name: str) -> None:
    rejects(products, **{name: None})


def test_foreign_key_is_named_id_with_the_target_primary_key_type(
    products: ResourceSchemas,
) -> None:
    props = properties(products.create)

    assert "category" not in props
    assert non_null(props["category_id"]) == {"format": "int64", "minimum": 1, "type": "integer"}
    assert create(products, category_id=7).model_dump()["category_id"] == 7
    for value in (0, "7", True):
        rejects(products, category_id=value)


def test_many_to_many_is_a_list_of_target_uuids(products: ResourceSchemas) -> None:
    tag = uuid.uuid4()

    assert properties(products.create)["tags"] == {
        "items": {"format": "uuid", "type": "string"},
        "title": "Tags",
        "type": "array",
    }
    assert create(products).model_dump()["tags"] == []
    assert create(products, tags=[str(tag)]).model_dump()["tags"] == [tag]
    rejects(products, tags=["not-a-uuid"])
    rejects(products, tags=str(tag))


def test_patch_distinguishes_unset_from_null(products: ResourceSchemas) -> None:
    unset = products.patch.model_validate({})
    null = products.patch.model_validate({"weight": None})

    assert unset.model_fields_set == set()
    assert null.model_fields_set == {"weight"}
    assert null.model_dump(exclude_unset=True) == {"weight": None}
    with pytest.raises(ValidationError):
        products.patch.model_validate({"name": None})


def test_patch_fields_are_all_optional_without_documented_defaults(
    products: ResourceSchemas,
) -> None:
    props = properties(products.patch)

    assert set(props) == set(properties(products.replace))
    assert all("default" not in prop for prop in props.values())


@pytest.mark.parametrize("action", WRITE_ACTIONS)
@pytest.mark.parametrize("extra", [{"id": 1}, {"unknown": "x"}, {"created": "2024-05-01T10:00"}])
def test_request_schemas_forbid_unknown_and_read_only_keys(
    products: ResourceSchemas, action: str, extra: dict[str, Any]
) -> None:
    schema: type[BaseModel] = getattr(products, action)

    assert schema.model_json_schema()["additionalProperties"] is False
    with pytest.raises(ValidationError):
        schema.model_validate({**CREATE_BASE, **extra})


def test_read_schema_does_not_forbid_extra_keys(products: ResourceSchemas) -> None:
    assert "additionalProperties" not in products.read.model_json_schema()


def test_parent_foreign_key_is_in_read_but_not_in_requests(
    business: dict[str, ResourceSchemas],
) -> None:
    departments = business["companies.departments"]

    assert "company_id" in properties(departments.read)
    for action in WRITE_ACTIONS:
        assert "company_id" not in properties(getattr(departments, action))
    with pytest.raises(ValidationError):
        departments.create.model_validate({"name": "R&D", "company_id": 1})


def test_page_schema_wraps_read_items(products: ResourceSchemas) -> None:
    page = products.page.model_validate({"items": [READ_BASE], "next_cursor": None})

    assert products.page.__name__ == "ProductPage"
    assert page.model_dump()["items"][0]["sku"] == "SKU-1"
    # ?fields= (a sparse fieldset) selects some keys: the model serialises such items, while
    # the schema documents the keys a full item always has, as the read schema does.
    partial = products.page.model_validate({"items": [{"sku": "S"}], "next_cursor": "c"})
    assert partial.model_dump(exclude_unset=True) == {"items": [{"sku": "S"}], "next_cursor": "c"}
    item_schema = products.list_item.model_json_schema()
    assert item_schema["required"] == products.read.model_json_schema()["required"]
    assert "default" not in item_schema["properties"]["sku"]


def test_generated_json_schemas_contain_no_pydantic_only_keys() -> None:
    gateways = [build_gateway(), Gateway(apps=["testapp"])]
    forbidden = {"ge", "le", "gt", "lt"}

    for gateway in gateways:
        for resource_schemas in gateway.schemas.values():
            for action in ("read", "create", "replace", "patch", "page"):
                schema = getattr(resource_schemas, action).model_json_schema()
                assert forbidden.isdisjoint(schema_keys(schema)), schema["title"]


# --- the type table -----------------------------------------------------------------------


@pytest.fixture
def isolated_type_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """Registrations made by a test disappear afterwards."""
    monkeypatch.setattr(fields, "_TABLE", dict(fields._TABLE))


def money_field() -> FieldInfo:
    return FieldInfo(name="x", attname="x", internal_type="MoneyField")


@pytest.mark.usefixtures("isolated_type_table")
def test_unknown_internal_type_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError) as caught:
        python_type(money_field())

    assert caught.value.code == "djgateway.E010"
    assert "MoneyField" in caught.value.message
    assert "register_field" in caught.value.message


@pytest.mark.usefixtures("isolated_type_table")
def test_registered_factory_supplies_the_type() -> None:
    money = Annotated[int, Field(ge=0)]
    seen: list[FieldInfo] = []

    def factory(field: FieldInfo) -> Any:
        seen.append(field)
        return money

    register_field("MoneyField", factory)

    assert python_type(money_field()) is money
    assert seen == [money_field()]


def test_registration_does_not_leak_between_tests() -> None:
    with pytest.raises(ConfigurationError):
        python_type(money_field())


# --- explicit schemas ---------------------------------------------------------------------


class ProductSummary(BaseModel):
    id: int
    sku: str


class ProductCreateBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: str
    name: str
    price: decimal.Decimal


class ProductPatchBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = None


class ProductCreateWithId(ProductCreateBody):
    id: int


class ProductPatchWithCreated(ProductPatchBody):
    created: datetime.datetime | None = None


def test_explicit_schemas_replace_the_generated_ones() -> None:
    resource = Resource(read=ProductSummary, create=ProductCreateBody, update=ProductPatchBody)

    schemas = Gateway(apps=["catalog"], resources={"catalog.Product": resource}).schemas

    products = schemas["products"]
    assert products.read is ProductSummary
    assert products.create is ProductCreateBody
    assert products.replace is ProductCreateBody
    assert products.patch is ProductPatchBody
    assert set(products.list_item.model_fields) == set(ProductSummary.model_fields)
    assert schemas["products.reviews"].read.__name__ == "ReviewRead"


@pytest.mark.parametrize(
    ("resource", "field"),
    [
        (Resource(create=ProductCreateWithId), "id"),
        (Resource(update=ProductPatchWithCreated), "created"),
    ],
    ids=["create-with-primary-key", "update-with-auto-now"],
)
def test_explicit_schema_with_a_non_writable_field_is_a_configuration_error(
    resource: Resource, field: str
) -> None:
    gateway = Gateway(apps=["catalog"], resources={"catalog.Product": resource})

    with pytest.raises(ConfigurationError) as caught:
        gateway.schemas  # noqa: B018

    assert caught.value.code == "djgateway.E008"
    assert "catalog.Product" in caught.value.message
    assert repr([field]) in caught.value.message


def test_a_regex_validator_given_to_a_field_is_its_pattern() -> None:
    from django.core.validators import RegexValidator
    from django.db import models

    from djgateway.introspect.graph import read_field

    code = models.CharField(max_length=20, validators=[RegexValidator(r"^[A-Z_][0-9A-Z_]*\Z")])
    code.set_attributes_from_name("code")
    info = read_field(code)
    schema = _schema_of(python_type(info))

    assert info.patterns == (r"^[A-Z_][0-9A-Z_]*$",)
    assert schema["pattern"] == r"^[A-Z_][0-9A-Z_]*$"
    adapter = _adapter(python_type(info))
    adapter.validate_python("ORDER_PLACED")
    with pytest.raises(ValidationError):
        adapter.validate_python("order placed")


def test_a_pattern_json_schema_cannot_state_is_left_to_the_server() -> None:
    from django.core.validators import RegexValidator
    from django.db import models

    from djgateway.introspect.graph import read_field

    inverted = RegexValidator(r"^admin", inverse_match=True)
    lookahead = RegexValidator(r"^(?!admin).*$")
    for validator in (inverted, lookahead):
        name = models.CharField(max_length=20, validators=[validator])
        name.set_attributes_from_name("name")
        schema = _schema_of(python_type(read_field(name)))
        assert "pattern" not in schema


def _adapter(value_type: Any) -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(value_type)


def _schema_of(value_type: Any) -> dict[str, Any]:
    schema: dict[str, Any] = _adapter(value_type).json_schema()
    return schema


def test_a_date_time_whose_utc_time_is_out_of_range_is_a_validation_error() -> None:
    # years 1-9999 in UTC: an offset can push a valid RFC 3339 date-time beyond them
    from pydantic import TypeAdapter

    adapter = TypeAdapter(fields.date_time(FieldInfo("at", "at", "DateTimeField")))
    assert adapter.validate_python("2026-01-01T10:00:00+02:00").hour == 8
    with pytest.raises(ValidationError) as refused:
        adapter.validate_python("0001-01-01T00:00:00+01:00")
    assert refused.value.errors()[0]["type"] == "datetime_out_of_range"
