"""Employee voice, showing side (docs/architecture.md): figure builders and finding titles
(charts.py), its tables (narrative.py), the blocks its page and PDF section share (blocks.py),
the PDF section (section.py) and the Employee voice page (page_voice.py)."""
