"""Employee voice, showing side: the blocks the page and the PDF section share (blocks.py)."""
