"""Benchmarks (run with `python -m benchmarks.run`), kept out of the test suite."""
