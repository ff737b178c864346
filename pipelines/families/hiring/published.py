"""Published (protected) adverse impact: every ratio, interval, test and shortfall is computed
from the *protected* counts, never from exact ones. Grain: one row per period, stage and cell
of the breakdown (and stratum, in the stratified view), as adverse_impact_ratio's long table.

Why not perturb the exact statistics instead: a z, a Fisher p, a Katz interval or a shortfall
computed from exact counts pins those counts (a search over the few counts a protected n
allows finds the one that reproduces the statistic), and through them the hidden cells that
the pooled totals minus the shown strata leave. Computed from protected counts, every figure
here is a function of published counts only, so it says nothing the counts do not.

- selected and decided get the cell-key perturbation of compute()'s adverse_impact_ratio
  table (protect_table on the same rows, the same definitions: the same cell has the same
  protected counts here, in the stratified view and in `equity metrics`);
- a row is hidden iff its protected decided count is below k (no complementary suppression);
  the reference group is chosen among the rows shown, as on the exact path;
- the counts in a row's note (still in progress, withdrew) are protected like any count.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.errors import UsageError
from pipelines.privacy.cells import definition, protected_counts, read_salt
from pipelines.privacy.protect import PROTECTED_BELOW_K, protect_table
from pipelines.metrics._engine import BLANKED, finalize
from pipelines.metrics._published import EXACT_HINT
from pipelines.metrics._registry import registry
from .impact import EXTRAS, impact_rows

METRIC = "adverse_impact_ratio"
HIDDEN = "protected_hidden"  # carried through finalize() (no leading underscore), then dropped


def one_value_filters(filters: dict[str, list[str]]) -> dict[str, list[str]]:
    """Published impact takes one value per filter: a ratio does not add up over several."""
    filters = {d: sorted(dict.fromkeys(map(str, v))) for d, v in (filters or {}).items() if v}
    many = [d for d, v in filters.items() if len(v) > 1]
    if many:
        raise UsageError(
            f"{METRIC} does not add up over several {', '.join(many)} values (it is a ratio "
            f"of its own cell): choose one value per filter, or {EXACT_HINT}"
        )
    return filters


def protected_outcomes(
    outcomes: pd.DataFrame, dims: list[str], k: int, salt: str, filters: dict[str, list[str]]
) -> tuple[pd.DataFrame, np.ndarray]:
    """(stage outcomes with protected selected/decided/open/withdrawn, hidden mask)."""
    spec = registry()[METRIC]
    df = outcomes.reset_index(drop=True).copy()
    decided = df["decided"].astype(float)
    rows = df[["period_start", "period_end", "stage", "_gid", *dims]].assign(
        numerator=df["selected"].astype(float),
        denominator=decided,
        n=decided,
        value=df["selected"] / decided.where(decided > 0),
    )
    prot, hidden = protect_table(rows, spec, dims, k, salt, filters)
    df["selected"] = prot["numerator"].round().astype(int).to_numpy()
    df["decided"] = prot["n"].round().astype(int).to_numpy()
    df["selected"] = np.minimum(df["selected"], df["decided"])  # a rate of protected counts stays <= 1
    records = df[["period_start", "period_end", "stage", "_gid", *dims]].to_dict("records")
    fixed = {d: v[0] for d, v in filters.items()}
    labels = [
        definition(
            "",
            f"{r['period_start']}|{r['period_end']}|{r['stage']}",
            {**fixed, **{d: r[d] for j, d in enumerate(dims) if not (int(r["_gid"]) >> (len(dims) - 1 - j)) & 1}},
        )
        for r in records
    ]
    for col in ("open", "withdrawn"):
        if col in df:
            df[col] = protected_counts(salt, f"{METRIC}.{col}", labels, df[col]).astype(int)
    return df, hidden


def finish(rows: pd.DataFrame, hidden: np.ndarray, spec, dims: list[str], k: int, periods) -> pd.DataFrame:
    """finalize() without any suppression of its own, then the protected hiding rule."""
    rows = rows.assign(**{HIDDEN: hidden})
    table = finalize(rows, spec, dims, k, periods, suppress=False)
    gone = table.pop(HIDDEN).fillna(True).astype(bool).to_numpy()
    table["suppressed"] = gone
    for col in [*BLANKED, *[c for c in EXTRAS if c in table]]:
        values = table[col]
        if pd.api.types.is_bool_dtype(values):
            values = values.astype("boolean")
        table[col] = (
            values.where(~gone) if pd.api.types.is_numeric_dtype(values) else values.astype(object).where(~gone, None)
        )
    table["note"] = np.where(gone, PROTECTED_BELOW_K, table["note"])
    return table


def impact_from_protected(q, outcomes: pd.DataFrame, within: list[str], spec) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(published impact long table, the protected outcomes it was computed from)."""
    k = int(q.params["k"])
    dims = list(q.dims)
    cur = q.con.cursor()  # its own cursor: reading the salt leaves a result open on it
    try:
        salt = read_salt(cur)
    finally:
        cur.close()
    prot, hidden = protected_outcomes(outcomes, dims, k, salt, q.filters)
    raw = impact_rows(q, within=within, outcomes=prot.copy(), shown=~hidden)
    return finish(raw, hidden, spec, dims, k, q.periods), prot
