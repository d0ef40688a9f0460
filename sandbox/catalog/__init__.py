"""Sandbox app ``catalog``: every relation kind and every built-in field type."""
