"""Pay equity, showing side: the published tables the views read (tables.py), the figure
builders (charts.py) and sentences (narrative.py), the blocks the Pay page (page_pay.py) and
the PDF section (section.py) both draw (blocks.py)."""
