"""Benchmarks (not tests): run them all with ``python -m benchmarks`` from the repository root."""
