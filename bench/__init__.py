"""Benchmarks that print figures (not timed tests): run them as scripts, e.g. `python bench/compare.py`."""
