"""Benchmarks (never part of the test suite): run with `make bench-search`."""
