"""The test settings without time zones (``USE_TZ = False``), local time away from UTC.

``DJANGO_SETTINGS_MODULE=tests.settings_naive pytest tests/integration/test_differential.py``
"""

from tests.settings import *  # noqa: F403

USE_TZ = False
TIME_ZONE = "Asia/Kolkata"  # +05:30 all year
