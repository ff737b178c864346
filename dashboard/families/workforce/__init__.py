"""Workforce on the dashboard and in the PDF: representation, turnover, flows, the leaky
pipeline, promotions, targets (the Workforce page) and retention curves, retention and
parental-leave trends (the Retention page), from blocks.py, which both pages and the PDF
section share."""

from .charts import target_figure  # the commitments' checkpoints are drawn as a target is
from .narrative import impact_sentence  # a commitment's policy event is read as this family reads it

__all__ = ["impact_sentence", "target_figure"]
