"""The contenders: one module per server, all serving the same paths under ``/api``."""
