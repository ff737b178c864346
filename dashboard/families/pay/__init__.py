"""Pay equity, showing side: the published tables the views read (tables.py) and the blocks
the Pay page and the PDF section both draw (blocks.py)."""
