"""Reproducible benchmarks: `python -m bench <name> [--quick]` prints ratios against a baseline."""
