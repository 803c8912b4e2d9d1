"""Reproducible measurements; results in docs/BENCHMARKS.md."""
