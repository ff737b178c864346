"""Supplier diversity, as computed: what the family owns and what other packages may use.

- `metrics.yml`, `metrics.py`: the registry's metrics (diverse and certified spend shares,
  diverse supplier counts) and `tier2.py` (Tier 2 spend reported by primes);
- `sql.py`: the spend and certification SQL and the procurement settings the others share;
- `goals.py`: goals, presets and grades; `risk.py`: expiring and lapsed certifications, the
  spend at risk and `supplier_k` (the companies threshold of every spend figure);
- `cli.py`: `equity suppliers ...`.

Other packages import only the names in EXPORTS, from this package (the Data quality page
lists spend booked after a lapse). They are loaded on first use: the CLI imports this package
to find `cli.py`, and its quick commands must not load pandas.
"""

from __future__ import annotations

import importlib

EXPORTS = {"lapsed_spend": "risk"}  # name -> the module of this package that defines it


def __getattr__(name: str):
    if name not in EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{EXPORTS[name]}"), name)
