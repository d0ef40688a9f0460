"""The ``djgateway`` command line (installed as ``djgateway.cli``)."""
