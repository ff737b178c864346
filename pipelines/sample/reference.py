"""Reference files (FX rates, events), the sample's equity.yml and its commitments register."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from . import _common as c

# A log random walk pulled back towards a long-run level: plausible, not historical.
# (currency, rate in 2005-01, long-run level, monthly volatility)
FX_WALKS = [("GBP", 1.88, 1.33, 0.020), ("EUR", 1.31, 1.12, 0.018)]
FX_PULL = 0.06  # share of the gap to the long-run level closed each month


def fx_rates(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Monthly rates to USD, 2005-01 to the as-of month, rounded to 4 decimals as written."""
    months = np.arange(c.FIRST_MONTH, c.LAST_MONTH + 1)
    rates = {}
    for currency, start, level, vol in FX_WALKS:  # fixed list order: deterministic
        shocks = rng.normal(0, vol, len(months))
        x = np.empty(len(months))
        x[0] = np.log(start)
        for i in range(1, len(months)):  # 261 steps of a recursion; cannot be vectorised simply
            x[i] = x[i - 1] + FX_PULL * (np.log(level) - x[i - 1]) + shocks[i]
        rates[currency] = np.round(np.exp(x), 4)
    return {"months": months, **rates}


def write_fx(out_dir: Path, fx: dict) -> int:
    months = fx["months"]
    currencies = [cur for cur, *_ in FX_WALKS]
    month_text = np.datetime_as_string(months.astype("datetime64[M]"), unit="M")
    chunk = {
        "currency": c.text(np.repeat(currencies, len(months))),
        "month": c.text(np.tile(month_text, len(currencies))),
        "rate_to_reporting": c.fixed(np.rint(np.concatenate([fx[cur] for cur in currencies]) * 10_000), 4),
    }
    with c.CsvTable(out_dir, "reference__fx_rates") as out:
        out.write(chunk)
    return out.rows


# (date, label, description, family): each event is drawn only on the charts of its family
EVENTS = [
    (
        "2022-01-01",
        "Parental leave 26 weeks",
        "Paid parental leave extended from 12 to 26 weeks for all genders.",
        "workforce",
    ),
    ("2024-01-01", "Salary ranges in job ads", "Every job advertisement publishes its salary range.", "pay"),
]


def write_events(out_dir: Path) -> int:
    return c.write_records(out_dir, "reference__events", EVENTS, [c.text, c.text, c.text, c.text])


# The sample's settings and its commitments register are YAML files next to this module, copied
# as they are: data read as data (commitments.yml holds three commitments whose assessment is
# known from the planted truths, sample_data/README.md "Commitments": one met, one stalled after
# its first six months, one linked to the parental-leave policy event of 2022-01-01).
_HERE = Path(__file__).resolve().parent


def write_equity_yml(out_dir: Path) -> None:
    (Path(out_dir) / "equity.yml").write_bytes((_HERE / "equity.yml").read_bytes())


def write_commitments_yml(out_dir: Path) -> None:
    (Path(out_dir) / "commitments.yml").write_bytes((_HERE / "commitments.yml").read_bytes())
