"""Deterministic, realistic sample data for every table of the input contract.

`write_sample(out_dir, employees, seed)` writes a complete data folder (CSV files laid out as in
pipelines/contract.yml, plus equity.yml and commitments.yml) for the fictional Northwind Health,
2019-01-01 to 2026-09-30, with six planted truths documented in sample_data/README.md. The same arguments
always give byte-identical files.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from . import _common as c
from . import careers, hr, procurement, recruiting, reference, spend, voice

log = logging.getLogger(__name__)

__all__ = ["write_sample"]


def write_sample(
    out_dir, employees: int = 2000, seed: int = 42, applications: int | None = None, spend_rows: int | None = None
) -> dict:
    """Write the sample into `out_dir` and return what was written.

    Volumes default to 10 applications and 100 spend transactions per employee (the benchmark
    ratios). Returns {"files": {relative path: data rows}, "diverse_spend_share": {year: {...}},
    "seconds": elapsed}.
    """
    if employees < 50:
        raise ValueError("employees must be at least 50 (smaller samples cannot show the planted truths)")
    applications = 10 * employees if applications is None else int(applications)
    spend_rows = 100 * employees if spend_rows is None else int(spend_rows)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    files: dict[str, int] = {}

    fx = reference.fx_rates(c.rng_for(seed, c.STREAM_FX))
    files["reference/fx_rates.csv"] = reference.write_fx(out, fx)
    files["reference/events.csv"] = reference.write_events(out)
    reference.write_equity_yml(out)
    reference.write_commitments_yml(out)

    log.info("simulating %d employees, 2005-2026", employees)
    workforce = careers.simulate(c.rng_for(seed, c.STREAM_WORKFORCE), employees)
    files.update(hr.write_hr(out, workforce))
    files.update(
        recruiting.write_recruiting(
            out, c.rng_for(seed, c.STREAM_RECRUITING), applications, hr.hires_by_month(workforce)
        )
    )
    files.update(voice.write_voice(out, c.rng_for(seed, c.STREAM_VOICE), workforce))
    del workforce  # the largest in-memory object; spend below streams

    sup_rng = c.rng_for(seed, c.STREAM_SUPPLIERS)
    suppliers, master = procurement.draw_suppliers(sup_rng, employees)
    files.update(procurement.write_suppliers(out, suppliers, master))
    files["procurement/tier2_spend.csv"] = procurement.write_tier2(out, sup_rng, suppliers)
    files["procurement/spend.csv"], shares = spend.write_spend(
        out, c.rng_for(seed, c.STREAM_SPEND), suppliers, spend_rows, fx
    )

    log.info("sample written to %s in %.1f s", out, time.perf_counter() - started)
    return {"files": dict(sorted(files.items())), "diverse_spend_share": shares}
