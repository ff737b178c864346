"""Hiring, shown: the blocks the Hiring page and the hiring PDF section share (blocks.py).
Computing stays in pipelines (the funnel, adverse impact, strata, time in stage)."""
