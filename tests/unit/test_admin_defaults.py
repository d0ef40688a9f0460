"""Options of a registered ModelAdmin are the defaults of the resource's query surface."""

from __future__ import annotations

from djgateway import Gateway, Resource


def test_model_admin_options_are_the_defaults() -> None:
    query = Gateway(apps=["testapp"]).plan.get("testapp.Account").query

    assert [(s.lookup, s.mode) for s in query.search] == [("name", "iexact")]
    assert set(query.filters) == {"name", "name__in", "name__icontains", "name__istartswith"}
    assert query.default_ordering == ("-name", "pk")
    assert query.list_per_page == 25


def test_explicit_resource_options_win_over_the_admin() -> None:
    gateway = Gateway(
        apps=["testapp"],
        resources={
            "testapp.Account": Resource(
                search_fields=["^name"], filter_fields=["id"], ordering=["name"], list_per_page=5
            )
        },
    )
    query = gateway.plan.get("testapp.Account").query

    assert [(s.lookup, s.mode) for s in query.search] == [("name", "istartswith")]
    assert set(query.filters) == {"id", "id__in", "id__gt", "id__gte", "id__lt", "id__lte"}
    assert query.default_ordering == ("name", "pk")
    assert query.list_per_page == 5


def test_models_without_an_admin_use_introspected_defaults() -> None:
    query = Gateway(apps=["testapp"]).plan.get("testapp.Library").query

    assert query.search == ()
    assert query.default_ordering == ("pk",)
    assert query.list_per_page == 100
