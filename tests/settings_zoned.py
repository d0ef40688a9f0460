"""The test settings with a database time zone: datetimes stored as Berlin local time.

``DJANGO_SETTINGS_MODULE=tests.settings_zoned pytest tests/integration/test_differential.py``
"""

from tests.settings import *  # noqa: F403
from tests.settings import DATABASES

DATABASES = {"default": {**DATABASES["default"], "TIME_ZONE": "Europe/Berlin"}}
