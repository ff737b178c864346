"""Equity metrics pipelines: ingest, build, metric registry and CLI."""

__version__ = "0.1.0"
