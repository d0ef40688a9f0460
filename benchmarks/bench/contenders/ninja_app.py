"""django-ninja as an ASGI application (``uvicorn bench.contenders.ninja_app:app``)."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("BENCH_URLCONF", "bench.contenders.ninja_urls")

app = get_asgi_application()
