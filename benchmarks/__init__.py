"""Benchmarks (`make bench`): each script prints a Markdown row per figure and its ratio as
the last line; run_all.py collects them into benchmarks/results/latest.md."""
