"""One package per metric family on the showing side (issue 21): its charts, narrative, the
blocks its page and PDF section share, the section and its page(s)."""
