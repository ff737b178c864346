"""The metric families' dashboard packages (issue 21): each holds its chart builders, narrative,
the blocks its page and its PDF section share, the section and the page(s)."""
