"""Benchmarks: `python -m bench.run` (`make bench`).

See bench/RESULTS.md and docs/operations.md.
"""
