"""Runnable demo Django project used by the djgateway docs, tests and ``djgateway serve``."""
