"""Promotions against the eligible pool, and each group's promotion rate relative to a
reference group (impact ratio) with a two-proportion z test, Fisher's exact test and a 95%
confidence interval for the ratio.

A promotion is a job record dated in the period whose change_reason is `promotion`, or
whose job level ranks above the level of the record before it (level order: `job_levels`
in equity.yml, else the natural sort of the labels). The eligible pool is everyone active
on the first day of the period with at least `workforce.promotion_min_tenure_months` of
tenure; a person counts once however many promotions they had in the period.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...config import setting as setting_of
from ...metrics._frame import Query
from ...metrics._suppression import suppression_mask
from .common import flagged_share, register_level_ranks, setting
from .stats import fisher_exact_p, risk_ratio_ci, two_proportion_z


def promotion_rate(q: Query) -> pd.DataFrame:
    q.register_periods()
    register_level_ranks(q)
    months = int(setting(q.config, "promotion_min_tenure_months"))
    # the pool's job is the one held the day before the period (a promotion dated on the
    # first day is then counted against the level the person was promoted from)
    eligible = (
        f"SELECT p.period_start, p.period_end, s.employee_id{q.dim_select('s', 'p.period_end')} "
        f"FROM q_periods p JOIN fct_employment_spells s "
        f"ON s.valid_from <= p.period_start - 1 AND p.period_start - 1 <= s.valid_to "
        f"WHERE s.hire_date <= CAST(p.period_start - to_months({months}) AS DATE) "
        f"AND (s.termination_date IS NULL OR s.termination_date >= p.period_start)"
        f"{q.filter_where('s', 'p.period_end')}"
    )
    promoted = (
        "SELECT DISTINCT p.period_start, c.employee_id FROM q_periods p "
        "JOIN fct_job_changes c ON c.effective_date BETWEEN p.period_start AND p.period_end "
        "LEFT JOIN q_level_ranks a ON a.job_level = c.job_level "
        "LEFT JOIN q_level_ranks b ON b.job_level = c.previous_job_level "
        "WHERE c.record_number > 1 AND (c.change_reason = 'promotion' "
        "OR coalesce(a.level_rank > b.level_rank, false))"
    )
    inner = (
        f"SELECT e.*, (pr.employee_id IS NOT NULL) AS was_promoted FROM ({eligible}) e "
        f"LEFT JOIN ({promoted}) pr ON pr.period_start = e.period_start "
        f"AND pr.employee_id = e.employee_id"
    )
    return flagged_share(q, inner, "was_promoted")


def _label(row: pd.Series, dims: list[str]) -> str:
    gid = int(row["_gid"])
    return "|".join(str(row[d]) for j, d in enumerate(dims) if not (gid >> (len(dims) - 1 - j)) & 1)


def _configured_reference(q: Query, dims: list[str], gid: int) -> str | None:
    """`reference_groups` entry for this breakdown: key = dimensions joined by '|' (e.g.
    `gender` or `gender|race_ethnicity`), value = the group (a string or a list)."""
    present = [d for j, d in enumerate(dims) if not (gid >> (len(dims) - 1 - j)) & 1]
    configured = setting_of(q.config, "reference_groups") or {}  # null in equity.yml: none named
    value = configured.get("|".join(present))  # a breakdown it does not name has none
    if value is None:
        return None
    return "|".join(str(v) for v in value) if isinstance(value, (list, tuple)) else str(value)


def _reference(block: pd.DataFrame, published: np.ndarray, configured: str | None, min_pool: float) -> pd.Series | None:
    """The configured group if it is published, else the published group with the highest
    rate among those holding at least `reference_min_share` of the pool (a handful of people
    would make a noisy yardstick); ties: larger pool, then label. Only published groups
    qualify: a ratio to a hidden group would let a reader work out that group's rate."""
    cands = block[published & (block["denominator"] > 0)]
    if configured is not None and (cands["_label"] == configured).any():
        return cands[cands["_label"] == configured].iloc[0]
    cands = cands[cands["denominator"] >= min_pool]
    if cands.empty:
        return None
    order = cands.assign(_neg=-cands["value"], _negn=-cands["denominator"])
    return order.sort_values(["_neg", "_negn", "_label"]).iloc[0]


def promotion_impact_ratio(q: Query) -> pd.DataFrame:
    rates = promotion_rate(q).reset_index(drop=True)
    dims = list(q.dims)
    published = ~suppression_mask(rates, dims, int(q.params["k"]))[0]
    rates["_label"] = [_label(r, dims) for _, r in rates.iterrows()]
    out = []
    all_gid = (1 << len(dims)) - 1
    pools = rates[rates["_gid"] == all_gid].set_index("period_start")["denominator"]
    share = float(setting(q.config, "reference_min_share"))
    for (start, gid), block in rates.groupby(["period_start", "_gid"], sort=False):
        block = block.copy()
        if gid == all_gid:  # the overall row compares nobody
            block["note"] = "overall: no comparison"
            out.append(block.assign(value=np.nan, numerator=np.nan, denominator=np.nan))
            continue
        ref = _reference(
            block, published[block.index], _configured_reference(q, dims, int(gid)), share * float(pools.get(start, 0))
        )
        out.append(_ratios(block, ref))
    if not out:  # nobody eligible in any period: no rows (the engine adds the overall rows)
        return rates.drop(columns=["_label"])
    df = pd.concat(out).sort_index()
    return df.drop(columns=["_label"])


def _ratios(block: pd.DataFrame, ref: pd.Series | None) -> pd.DataFrame:
    """Per group: its rate / the reference rate, with tests against the reference."""
    a, n1 = block["numerator"].to_numpy(float), block["denominator"].to_numpy(float)
    rate = block["value"].to_numpy(float)
    if ref is None or not ref["value"] > 0:
        why = "no published reference group" if ref is None else "reference group had no promotions"
        return block.assign(value=np.nan, numerator=rate, denominator=np.nan, note=why)
    c, n2 = float(ref["numerator"]), float(ref["denominator"])
    ratio = rate / ref["value"]
    low, high = risk_ratio_ci(a, n1, c, n2)
    z, p_z = two_proportion_z(a, n1, c, n2)
    p_f = np.array([fisher_exact_p(int(x), int(m), int(c), int(n2)) for x, m in zip(a, n1)])
    is_ref = (block["_label"] == ref["_label"]).to_numpy()
    nan_if_ref = lambda arr: np.where(is_ref, np.nan, arr)  # noqa: E731 - a group vs itself
    return block.assign(
        value=ratio,
        numerator=rate,
        denominator=ref["value"],
        ci_low=nan_if_ref(low),
        ci_high=nan_if_ref(high),
        reference_group=ref["_label"],
        z=nan_if_ref(z),
        p_value_z=nan_if_ref(p_z),
        p_value_fisher=nan_if_ref(p_f),
        note=np.where(is_ref, "reference group", ""),
    )
