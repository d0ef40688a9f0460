"""djgateway's side-by-side HTTP benchmark (see benchmarks/README.md)."""
