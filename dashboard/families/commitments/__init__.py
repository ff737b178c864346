"""Commitments on the showing side: the blocks the Commitments page and the PDF section
both draw (blocks.py). The assessments themselves are computed in pipelines/families/commitments/."""
