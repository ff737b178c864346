"""Workforce on the dashboard and in the PDF: representation, turnover, flows, the leaky
pipeline, promotions, targets (the Workforce page) and retention curves, retention and
parental-leave trends (the Retention page), from blocks.py, which both pages and the PDF
section share."""
