"""The workforce family: headcount, representation, flows (hires, exits, turnover), the leaky
pipeline, promotions, retention and Kaplan-Meier curves, parental leave, policy-event impact
and targets. Its registry is metrics.yml (functions in metrics.py), its commands cli.py.

Other packages import only the names below (tests/test_import_contract.py): the targets' straight-line projection
(commitments grade checkpoints with it) and the policy-event analysis (commitments read an
event as the Retention page does)."""

from __future__ import annotations

import importlib

# name -> (module of this package, name there). Loaded on first use: the CLI imports this
# package to find cli.py, and its quick commands (`equity list`, `--help`) must not load pandas.
EXPORTS = {
    "event_impact": ("impact", "impact"),
    "project": ("targets", "project"),
}
__all__ = sorted(EXPORTS)


def __getattr__(name: str):
    if name not in EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attr = EXPORTS[name]
    return getattr(importlib.import_module(f"{__name__}.{module}"), attr)
