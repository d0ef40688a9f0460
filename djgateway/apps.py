"""``"djgateway"`` in ``INSTALLED_APPS``: ``manage.py check`` checks the project's gateways.

djgateway has no models, migrations, templates or admin; the app only registers
``djgateway.checks.check_gateways`` (tag ``djgateway``). The sandbox's apps are separate
(``djgateway.sandbox.business``, ...) and never installed by this one.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.apps import AppConfig


class DjgatewayConfig(AppConfig):
    """The djgateway app. Gateways to check are named by ``settings.DJGATEWAY_GATEWAYS``, or by
    ``gateways`` on a subclass installed instead of ``"djgateway"``::

        class ApiConfig(DjgatewayConfig):
            gateways = ["myproject.api:gateway"]
    """

    name = "djgateway"
    label = "djgateway"
    verbose_name = "djgateway"
    gateways: Sequence[str] = ()  # "module:attr" of Gateways (or factories), with the setting

    def ready(self) -> None:
        from django.core import checks

        from .checks import TAG, check_gateways

        checks.register(check_gateways, TAG)
