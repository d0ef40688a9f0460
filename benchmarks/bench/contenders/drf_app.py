"""Django REST Framework as a WSGI application (``gunicorn bench.contenders.drf_app``)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("BENCH_URLCONF", "bench.contenders.drf_urls")

application = get_wsgi_application()
