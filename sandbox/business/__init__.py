"""Sandbox app ``business``: multi-tenant companies with deeply nested children."""
