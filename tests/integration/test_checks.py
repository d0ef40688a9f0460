"""`manage.py check` runs the gateways' startup checks (djgateway.checks, djgateway.apps).

The gateways below are named by `DJGATEWAY_GATEWAYS` as "tests.integration.test_checks:<name>";
"djgateway" joins INSTALLED_APPS with `override_settings`, which runs its `ready()`.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from pydantic import BaseModel

from djgateway import Gateway, JWTBearer, Resource
from djgateway.apps import DjgatewayConfig
from djgateway.sandbox.catalog.models import Category, Product, Tag

HERE = "tests.integration.test_checks"

# -- targets named by the setting ----------------------------------------------------------

clean = Gateway(apps=["catalog"])


class TagWithColour(BaseModel):
    name: str
    colour: str  # no such field on catalog.Tag


# Three mistakes in one gateway: every one is reported by one check run.
broken = Gateway(
    apps=["catalog"],
    resources={
        "catalog.Product": Resource(exclude=["no_such_field"]),  # E002
        "catalog.Category": Resource(parent="no_such_parent"),  # E003
        "catalog.Warehouse": Resource(name="things"),  # E005 with ...
        "catalog.Review": Resource(name="things", parent=None),  # ... this one
    },
)
# An error and the warnings of the same pass.
broken_with_warnings = Gateway(
    apps=["catalog", "testapp"],
    resources={"catalog.Product": Resource(exclude=["no_such_field"])},
)
wrong_schema = Gateway(apps=["catalog"], resources={"catalog.Tag": Resource(create=TagWithColour)})
warned = Gateway(apps=["testapp"])  # W003 (testapp.Account) and W005 (testapp.Gauge)
unknown_app = Gateway(apps=["no_such_app"])
not_a_gateway = 42


def make_clean() -> Gateway:
    return Gateway(apps=["catalog"])


def make_app() -> Any:
    return Gateway(apps=["catalog"]).app()


def needs_arguments(prefix: str) -> Gateway:
    return Gateway(apps=[prefix])


def crashes() -> Gateway:
    raise RuntimeError("the factory fell over")


def misconfigured_tokens() -> Gateway:
    return Gateway(apps=["catalog"], security=JWTBearer(key="k", algorithms=["none"]))


class ApiConfig(DjgatewayConfig):
    """Names its gateways itself: installed instead of "djgateway"."""

    gateways = [f"{HERE}:broken"]


# -- helpers ----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def djgateway_installed() -> Iterator[None]:
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, "djgateway"]):
        yield


def gateways(*names: str, **more: Any) -> override_settings:
    return override_settings(DJGATEWAY_GATEWAYS=[f"{HERE}:{name}" for name in names], **more)


def messages(**kwargs: Any) -> list[checks.CheckMessage]:
    return checks.run_checks(tags=["djgateway"], **kwargs)


def ids(found: list[checks.CheckMessage]) -> list[str]:
    return sorted(message.id or "" for message in found)


def by_id(found: list[checks.CheckMessage], code: str) -> checks.CheckMessage:
    (message,) = [m for m in found if m.id == code]
    return message


# -- the app ----------------------------------------------------------------------------------


def test_installing_djgateway_adds_one_app_without_models() -> None:
    config = apps.get_app_config("djgateway")
    assert type(config) is DjgatewayConfig
    assert list(config.get_models()) == []
    labels = {c.label for c in apps.get_app_configs()}
    with override_settings(INSTALLED_APPS=settings.INSTALLED_APPS[:-1]):
        without = {c.label for c in apps.get_app_configs()}
    assert labels - without == {"djgateway"}  # not the sandbox, fuzz, cli... packages


def test_without_gateways_the_check_says_nothing() -> None:
    assert getattr(settings, "DJGATEWAY_GATEWAYS", None) is None
    assert messages() == []


# -- clean gateways ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["clean", "make_clean"])
def test_a_clean_gateway_gives_no_message(name: str) -> None:
    with gateways(name):
        assert messages() == []
        out = io.StringIO()
        call_command("check", tags=["djgateway"], stdout=out)
    assert "System check identified no issues (0 silenced)." in out.getvalue()


def test_the_sandbox_gateway_is_clean() -> None:
    with override_settings(DJGATEWAY_GATEWAYS=["djgateway.sandbox.gateway:build_gateway"]):
        assert messages() == []


# -- errors -----------------------------------------------------------------------------------


def test_every_error_of_a_gateway_is_reported_at_once() -> None:
    with gateways("broken"):
        found = messages()
    assert ids(found) == ["djgateway.E002", "djgateway.E003", "djgateway.E005"]
    assert all(isinstance(m, checks.Error) for m in found)
    excluded = by_id(found, "djgateway.E002")
    assert excluded.obj is Product  # the label moves from the text to obj, as Django prints it
    assert excluded.msg == "Resource(exclude=...) names unknown fields ['no_such_field']"
    assert excluded.hint and "field" in excluded.hint
    assert str(excluded).startswith("catalog.Product: (djgateway.E002) Resource(exclude=")
    parent = by_id(found, "djgateway.E003")
    assert (parent.obj, parent.msg) == (
        Category,
        "Resource(parent='no_such_parent') names no field",
    )
    clash = by_id(found, "djgateway.E005")  # names both models, the first one is the obj
    assert "catalog.Warehouse" in clash.msg and "catalog.Review" in clash.msg
    assert clash.obj in (apps.get_model("catalog.Warehouse"), apps.get_model("catalog.Review"))
    assert clash.msg.endswith("rename one with Resource(name=...)")
    assert clash.hint is None  # the message says what to do


def test_call_command_raises_naming_every_id() -> None:
    with gateways("broken"), pytest.raises(SystemCheckError) as raised:
        call_command("check", tags=["djgateway"], stdout=io.StringIO(), stderr=io.StringIO())
    text = str(raised.value)
    for code in ("djgateway.E002", "djgateway.E003", "djgateway.E005"):
        assert f"({code})" in text
    assert "System check identified 3 issues (0 silenced)." in text


def test_the_warnings_of_a_failing_pass_come_with_its_errors() -> None:
    with gateways("broken_with_warnings"):
        found = messages()
    assert "djgateway.E002" in ids(found)
    assert "djgateway.W003" in ids(found)
    assert {type(m) for m in found} == {checks.Error, checks.Warning}


def test_schema_problems_are_reported() -> None:
    with gateways("wrong_schema"):
        (found,) = messages()
    assert (found.id, found.obj) == ("djgateway.E008", Tag)
    assert "TagWithColour" in found.msg and "colour" in found.msg


def test_problems_of_several_gateways_are_all_reported() -> None:
    with gateways("broken", "clean", "wrong_schema"):
        found = messages()
    assert ids(found) == [
        "djgateway.E002",
        "djgateway.E003",
        "djgateway.E005",
        "djgateway.E008",
    ]


def test_a_subclass_of_the_app_config_names_gateways() -> None:
    installed = [*settings.INSTALLED_APPS[:-1], f"{HERE}.ApiConfig"]
    with override_settings(INSTALLED_APPS=installed):
        assert ids(messages()) == ["djgateway.E002", "djgateway.E003", "djgateway.E005"]


def test_checking_one_app_keeps_its_models_messages() -> None:
    with gateways("broken_with_warnings", "unknown_app"):
        everything = messages()
        testapp_only = messages(app_configs=[apps.get_app_config("testapp")])
    assert "djgateway.E002" in ids(everything)  # about catalog.Product
    assert "djgateway.E002" not in ids(testapp_only)
    assert "djgateway.W003" in ids(testapp_only)  # about testapp.Account
    assert "djgateway.E902" in ids(testapp_only)  # about no model: always kept


# -- gateways that cannot be loaded -----------------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "code", "words"),
    [
        ("tests.integration.no_such_module:gateway", "djgateway.E900", "cannot import"),
        (f"{HERE}:no_such_attribute", "djgateway.E900", "has no attribute"),
        (HERE, "djgateway.E900", "module:attribute"),
        (f"{HERE}:needs_arguments", "djgateway.E900", "needs arguments"),
        (f"{HERE}:crashes", "djgateway.E900", "RuntimeError: the factory fell over"),
        (f"{HERE}:not_a_gateway", "djgateway.E901", "(it is int)"),
        (f"{HERE}:make_app", "djgateway.E901", "(it is FastAPI)"),
        (f"{HERE}:unknown_app", "djgateway.E902", "no_such_app"),
        (f"{HERE}:misconfigured_tokens", "djgateway.E020", "'none'"),
    ],
)
def test_a_gateway_that_cannot_be_loaded_is_an_error(reference: str, code: str, words: str) -> None:
    with override_settings(DJGATEWAY_GATEWAYS=[reference]):
        (found,) = messages()
    assert isinstance(found, checks.Error)
    assert found.id == code
    assert words in found.msg
    assert found.obj == reference
    assert str(found).startswith(f"{reference}: ({code}) ")


def test_a_lone_string_setting_names_one_gateway() -> None:
    with override_settings(DJGATEWAY_GATEWAYS=f"{HERE}:broken"):
        assert len(messages()) == 3


def test_a_setting_entry_that_is_not_a_string_is_an_error() -> None:
    with override_settings(DJGATEWAY_GATEWAYS=[clean, ["a:b"]]):
        found = messages()
    assert ids(found) == ["djgateway.E900", "djgateway.E900"]
    assert all("must list" in m.msg for m in found)


def test_a_module_that_fails_to_import_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "crashing_api.py").write_text("gateway = undefined_name\n")
    sys.path.insert(0, str(tmp_path))
    try:
        with override_settings(DJGATEWAY_GATEWAYS=["crashing_api:gateway"]):
            (found,) = messages()
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("crashing_api", None)
    assert found.id == "djgateway.E900"
    assert found.msg == (
        "importing 'crashing_api' raised NameError: name 'undefined_name' is not defined"
    )


# -- warnings ---------------------------------------------------------------------------------


def test_warnings_are_reported_and_do_not_fail_the_check() -> None:
    with gateways("warned"):
        found = messages()
        out, err = io.StringIO(), io.StringIO()
        call_command("check", tags=["djgateway"], stdout=out, stderr=err)
    assert set(ids(found)) == {"djgateway.W003", "djgateway.W005"}
    assert all(isinstance(m, checks.Warning) for m in found)
    account = by_id(found, "djgateway.W003")
    assert account.obj is apps.get_model("testapp.Account")
    assert account.msg.startswith("creates will fail: the model requires ['password']")
    assert "testapp.Account: (djgateway.W003) creates will fail" in err.getvalue()
    assert f"System check identified {len(found)} issues (0 silenced)." in err.getvalue()


def test_warnings_fail_the_check_at_fail_level_warning() -> None:
    with gateways("warned"), pytest.raises(SystemCheckError, match=r"djgateway\.W003"):
        call_command("check", tags=["djgateway"], fail_level="WARNING", stdout=io.StringIO())


def test_warnings_are_silenced_by_django_setting() -> None:
    silenced = ["djgateway.W003", "djgateway.W005"]
    with gateways("warned", SILENCED_SYSTEM_CHECKS=silenced):
        found = messages()
        assert found and all(m.is_silenced() for m in found)
        out = io.StringIO()
        call_command("check", tags=["djgateway"], fail_level="WARNING", stdout=out)
    assert f"System check identified no issues ({len(found)} silenced)." in out.getvalue()


def test_silencing_a_warning_leaves_the_others() -> None:
    with gateways("warned", SILENCED_SYSTEM_CHECKS=["djgateway.W005"]):
        visible = [m for m in messages() if not m.is_silenced()]
    assert ids(visible) == ["djgateway.W003"]


# -- a real project ---------------------------------------------------------------------------


def test_manage_py_check_of_a_project_with_djgateway_installed(tmp_path: Path) -> None:
    """The sandbox settings plus "djgateway": Django starts, `check` runs the gateway checks,
    and no migration appears for djgateway."""
    (tmp_path / "project_settings.py").write_text(
        textwrap.dedent(
            f"""
            from djgateway.sandbox.settings import *  # noqa: F403
            from djgateway.sandbox.settings import INSTALLED_APPS

            INSTALLED_APPS = [*INSTALLED_APPS, "djgateway"]
            DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3",
                                      "NAME": {str(tmp_path / "db.sqlite3")!r},
                                      "OPTIONS": {{"transaction_mode": "IMMEDIATE"}}}}}}
            DJGATEWAY_GATEWAYS = ["djgateway.sandbox.gateway:build_gateway", "project_api:api"]
            """
        )
    )
    (tmp_path / "project_api.py").write_text(
        "from djgateway import Gateway, Resource\n"
        "api = Gateway(apps=['catalog'], resources={'catalog.Tag': Resource(parent='nope')})\n"
    )
    script = textwrap.dedent(
        """
        import django
        from django.core.management import call_command
        from django.core.management.base import SystemCheckError

        django.setup()
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
        try:
            call_command("check")
        except SystemCheckError as error:
            print(error)
        """
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "project_settings",
        "PYTHONPATH": str(tmp_path),
    }
    run = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,  # not the checkout: djgateway is imported as installed
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert (
        "catalog.Tag: (djgateway.E003) Resource(parent='nope') names no field\n"
        "\tHINT: Resource(parent=...) takes the name of a ForeignKey" in run.stdout
    )
    assert "System check identified 1 issue (0 silenced)." in run.stdout


def test_a_field_warning_names_the_field() -> None:
    """W001 ("app.Model.field: reason") has the field as its obj, printed as Django prints
    fields (no model here has a field djgateway cannot read, so the message is made up)."""
    from djgateway.checks import _message
    from djgateway.errors import Problem

    problem = Problem("djgateway.W001", "catalog.Product.sku: no reader understands it")
    message = _message(problem, f"{HERE}:clean")
    assert message.obj == Product._meta.get_field("sku")
    assert str(message).startswith("catalog.Product.sku: (djgateway.W001) no reader understands")
    unknown = _message(Problem("djgateway.W001", "catalog.Nothing.x: y"), f"{HERE}:clean")
    assert (unknown.obj, unknown.msg) == (f"{HERE}:clean", "catalog.Nothing.x: y")
