"""Golden tests of the statutory rule packs, from each authority's published rules and the
peers' own test vectors (numbers and rules only):

- BC: bcgov/fin-pay-transparency backend/src/v1/services/report-calc-service.spec.ts
- UK: SI 2017/172 regs. 1(2), 8, 12, 13 and the GOV.UK rule for tied rates (hand calculations)
- Egapro: SocialGouv/egapro packages/simulateur/src/tests/calculsEgaPro*.test.ts
- NYC LL144: SolasAI solas-ai-disparity examples/solas-ai-disparity-nyc-employment-metrics.ipynb
  (selection tables) and the DCWP rule's example table (6 RCNY 5-301)
- EU: Directive 2023/970 Art. 3(1)(c) / Art. 10, the 5.00% boundary in exact decimals
"""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import pandas as pd
import pytest

from pipelines.families.pay.quartiles import quartile_sizes
from pipelines.families.pay.statutory.egapro import (
    Cell,
    after_threshold,
    build_cells,
    cell_gap,
    grid_score,
    index_score,
    indicator1,
    indicator5,
    is_calculable,
    weighted_gap,
)
from pipelines.families.pay.statutory.gaps import GapReport, guard_organisation_rows
from pipelines.families.pay.statutory.ll144 import audit_tables
from pipelines.families.pay.statutory.report import formatted
from pipelines.rules import load_pack, pack_names

D = Decimal


def people(spec: list[tuple], **defaults) -> pd.DataFrame:
    """[(count, category, {column: value})] -> a population frame."""
    rows = []
    for count, category, values in spec:
        for _ in range(count):
            row = {
                "category": category,
                "hourly": None,
                "total_hourly": None,
                "bonus": D(0),
                "overtime_pay": D(0),
                "overtime_hours": D(0),
                "full_pay": True,
                **defaults,
            }
            row.update(
                {k: (D(str(v)) if isinstance(v, (int, float)) and k != "full_pay" else v) for k, v in values.items()}
            )
            rows.append(row)
    return pd.DataFrame(rows)


def by_group(rows, measure):
    return {r["group"]: r["value"] for r in rows if r["measure"] == measure}


# -- packs --------------------------------------------------------------------------------
def test_every_pack_cites_its_law_and_version():
    assert pack_names() == ["bc_ptr_2023", "eu_2023_970", "fr_egapro_2019", "nyc_ll144_2023", "uk_gpg_2017"]
    for name in pack_names():
        pack = load_pack(name)
        assert pack.version[:4].isdigit() and pack.spec["law"] and pack.spec["source"].startswith("https://")
        assert all(r["cite"] for r in pack.spec["rules"])


def test_rule_settings_only_change_declared_choices():
    from pipelines.errors import UsageError

    pack = load_pack("eu_2023_970", {"rule_settings": {"eu_2023_970": {"art10_direction": "women_paid_less"}}})
    assert pack.settings["art10_direction"] == "women_paid_less"
    with pytest.raises(UsageError, match="unknown setting"):
        load_pack("eu_2023_970", {"rule_settings": {"eu_2023_970": {"threshold": 3}}})
    with pytest.raises(UsageError, match="must be one of"):
        load_pack("uk_gpg_2017", {"rule_settings": {"uk_gpg_2017": {"sector": "charity"}}})
    with pytest.raises(UsageError, match="unknown rule pack"):
        load_pack("uk_gpg_2099")


# -- British Columbia (report-calc-service.spec.ts) ----------------------------------------
BC = load_pack("bc_ptr_2023")


def test_bc_reference_falls_back_to_unknown_then_non_binary():
    # spec 'getReferenceGenderCode': M has 2 people with pay, W 3, X 10, U 10 with pay + 100 with 0
    pop = people(
        [
            (1, "W", {"hourly": 10}),
            (1, "W", {"hourly": 24}),
            (1, "W", {"hourly": 20}),
            (1, "M", {"hourly": 40}),
            (1, "M", {"hourly": 30}),
            (10, "X", {"hourly": 50}),
            (10, "U", {"hourly": 60}),
            (100, "U", {"hourly": 0}),
        ]
    )
    assert GapReport(BC, pop).reference == "U"
    # without the Unknowns, Non-binary is next (B.C. Reg. 225/2023 s. 1(4))
    assert GapReport(BC, pop[pop["category"] != "U"]).reference == "X"


def test_bc_mean_and_median_hourly_gaps_and_overtime_hours():
    # spec 'calculateMeanHourlyPayGaps': 10 each at 100/99/98/97 -> M 0, W 1, X 2, U 3
    pop = people(
        [
            (10, "M", {"hourly": 100, "overtime_hours": 100}),
            (10, "W", {"hourly": 99, "overtime_hours": 99}),
            (10, "X", {"hourly": 98, "overtime_hours": 102}),
            (10, "U", {"hourly": 97, "overtime_hours": 97}),
        ]
    )
    rows = GapReport(BC, pop).rows()
    for measure in ("Mean hourly pay gap", "Median hourly pay gap"):
        assert by_group(rows, measure) == {"Men": 0, "Women": 1, "Non-binary people": 2, "Unknown": 3}
    # spec 'calculateMeanOvertimeHoursGaps': 100/99/102/97 hours -> 0, -1, 2, -3 (category - reference)
    assert by_group(rows, "Mean overtime hours difference (hours)") == {
        "Men": 0,
        "Women": -1,
        "Non-binary people": 2,
        "Unknown": -3,
    }


def test_bc_percent_receiving_bonus_needs_ten_recipients_each():
    # spec 'calculatePercentReceivingBonusPay': 100 M (50 paid 1000), 40 W (10 paid 1500),
    # 10 U (9 paid 1200) -> M 50, W 25, X and U withheld
    base = {"hourly": 20}
    pop = people(
        [
            (50, "M", {**base, "bonus": 1000}),
            (50, "M", base),
            (10, "W", {**base, "bonus": 1500}),
            (30, "W", base),
            (9, "U", {**base, "bonus": 1200}),
            (1, "U", base),
        ]
    )
    got = by_group(GapReport(BC, pop).rows(), "Percentage receiving bonus pay")
    assert got == {"Men": 50, "Women": 25, "Non-binary people": None, "Unknown": None}
    # reference suppressed: 9 M recipients (of 18) -> every category withheld
    pop = people(
        [
            (9, "M", {**base, "bonus": 1000}),
            (9, "M", base),
            (10, "W", {**base, "bonus": 1500}),
            (30, "W", base),
            (9, "U", {**base, "bonus": 1200}),
            (1, "U", base),
        ]
    )
    assert set(by_group(GapReport(BC, pop).rows(), "Percentage receiving bonus pay").values()) == {None}
    # only the reference has 10 recipients -> fewer than two categories: all withheld
    pop = people(
        [
            (50, "M", {**base, "bonus": 1000}),
            (9, "W", {**base, "bonus": 1500}),
            (9, "U", {**base, "bonus": 1200}),
            (1, "U", base),
        ]
    )
    assert set(by_group(GapReport(BC, pop).rows(), "Percentage receiving bonus pay").values()) == {None}


def test_bc_withholds_everything_when_fewer_than_two_categories_reach_ten():
    pop = people([(40, "M", {"hourly": 30}), (9, "W", {"hourly": 25})])
    rows = GapReport(BC, pop).rows()
    assert rows and all(r["suppressed"] and r["value"] is None for r in rows)
    assert "fewer than 2 categories have 10 or more people" in rows[0]["note"]


def test_bc_quartile_sizes_and_shares():
    # spec 'getQuartileBreaks': 174 -> Q1 and Q4 one wider (44/43/43/44); 173 -> Q1 one wider;
    # 171 -> Q1, Q4, Q2 equal and Q3 one narrower
    assert quartile_sizes(174) == [44, 43, 43, 44]
    assert quartile_sizes(173) == [44, 43, 43, 43]
    assert quartile_sizes(171) == [43, 43, 42, 43]
    # the spec's 174 people: U 30 at 100, X 4 at 110, W 70 at 120, M 70 at 130. By hand:
    # Q1 = 30 U + 4 X + 10 W; Q2 = 43 W; Q3 = 17 W + 26 M; Q4 = 44 M. Only categories with 10
    # or more in a band are shown, as shares of the shown ones: Q1 U 30/40 = 75%, W 25%.
    pop = people(
        [(70, "M", {"hourly": 130}), (70, "W", {"hourly": 120}), (4, "X", {"hourly": 110}), (30, "U", {"hourly": 100})]
    )
    rows = GapReport(BC, pop).rows()
    band = lambda q: by_group(rows, f"Percentage of each gender category in each hourly pay quartile: {q}")  # noqa: E731
    assert band("Q1 lower") == {"Men": None, "Women": 25, "Non-binary people": None, "Unknown": 75}
    assert band("Q2 lower middle") == {"Men": None, "Women": 100, "Non-binary people": None, "Unknown": None}
    q3 = band("Q3 upper middle")
    assert formatted({"value": q3["Women"], "unit": "percent", "suppressed": False}, BC) == "39.5"  # 17/43
    assert formatted({"value": q3["Men"], "unit": "percent", "suppressed": False}, BC) == "60.5"  # 26/43
    assert band("Q4 upper")["Men"] == 100
    # spec scenario 2: 10 of each category at 50, 40, 30, 20 -> every category 25% of every band
    pop = people([(10, c, {"hourly": h}) for c in "MWXU" for h in (50, 40, 30, 20)])
    rows = GapReport(BC, pop).rows()
    shares = [r["value"] for r in rows if ": Q" in r["measure"]]
    assert len(shares) == 16 and set(shares) == {25}


# -- UK (SI 2017/172) ----------------------------------------------------------------------
UK = load_pack("uk_gpg_2017")


def test_uk_reduced_pay_leave_leaves_hourly_and_quartiles_but_not_bonus():
    # 4 men at 20/h; women 15, 15, 15 on full pay and one at 13/h on maternity leave at
    # reduced pay. Reg. 8 on full-pay relevant employees: (20 - 15) / 20 = 25.0%. Counting her
    # (the mistake) gives mean women 14.5 -> 27.5%. She stays in the bonus measures (reg. 12):
    # 2 of 4 women paid a bonus = 50.0% (2 of 3 = 66.7% if she were dropped).
    pop = people(
        [
            (2, "male", {"hourly": 20, "bonus": 500}),
            (2, "male", {"hourly": 20}),
            (1, "female", {"hourly": 15, "bonus": 400}),
            (2, "female", {"hourly": 15}),
            (1, "female", {"hourly": 13, "bonus": 300, "full_pay": False}),
        ]
    )
    rows = GapReport(UK, pop).rows()
    assert by_group(rows, "Mean gender pay gap in hourly pay") == {"Women": 25}
    assert by_group(rows, "Median gender pay gap in hourly pay") == {"Women": 25}
    assert by_group(rows, "Percentage receiving a bonus") == {"Men": 50, "Women": 50}
    # bonus means over recipients: men 500, women (400 + 300) / 2 = 350 -> (500 - 350) / 500 = 30%
    assert by_group(rows, "Mean bonus gap") == {"Women": 30}
    # quartiles over the 7 full-pay employees only: 7 -> 2/2/1/2 (Q1, Q4, Q2 get the extras)
    q = {r["measure"].split(": ")[1]: r for r in rows if ": Q" in r["measure"] and r["group"] == "Women"}
    assert q["Q1 lower"]["value"] == 100 and q["Q1 lower"]["n"] == 2


def test_uk_tied_rates_across_a_quartile_boundary_are_split_in_proportion():
    # 8 employees -> bands of 2. Rates: 10 M, 12 W | 20 M, 20 W, 20 W (ranks 3-5) | 25 M | 30 M, 40 W.
    # The tie block spans Q2 (ranks 3-4) and Q3 (rank 5): each member counts 2/3 in Q2, 1/3 in Q3.
    # Q2: men 2/3, women 4/3 -> 33.3 / 66.7; Q3: men 1/3 + 1, women 2/3 -> 66.7 / 33.3.
    spec = [
        (1, "male", {"hourly": 10}),
        (1, "female", {"hourly": 12}),
        (1, "male", {"hourly": 20}),
        (2, "female", {"hourly": 20}),
        (1, "male", {"hourly": 25}),
        (1, "male", {"hourly": 30}),
        (1, "female", {"hourly": 40}),
    ]
    pop = people(spec)
    results = []
    for seed in range(5):  # the order of the rows never matters
        shuffled = pop.sample(frac=1, random_state=seed).reset_index(drop=True)
        rows = GapReport(UK, shuffled).rows()
        results.append(
            {(r["measure"].split(": ")[-1], r["group"]): formatted(r, UK) for r in rows if ": Q" in r["measure"]}
        )
    assert all(r == results[0] for r in results)
    got = results[0]
    assert got[("Q2 lower middle", "Men")] == "33.3" and got[("Q2 lower middle", "Women")] == "66.7"
    assert got[("Q3 upper middle", "Men")] == "66.7" and got[("Q3 upper middle", "Women")] == "33.3"
    assert got[("Q1 lower", "Men")] == "50.0" and got[("Q4 upper", "Women")] == "50.0"


def test_privacy_k_applies_on_top_and_protects_the_other_share_of_a_band():
    rows = [
        {
            "section": "Quartiles",
            "measure": "x: Q1 lower",
            "group": g,
            "value": D(v),
            "n": n,
            "suppressed": False,
            "note": "",
            "unit": "percent",
            "level": "organisation",
        }
        for g, v, n in (("A", 80, 40), ("B", 15, 7), ("C", 5, 2))
    ]
    guard_organisation_rows(rows, k=5)
    assert [r["suppressed"] for r in rows] == [False, True, True]  # C < k; B hidden so C cannot be recovered


# -- Egapro (SocialGouv/egapro simulateur tests) -------------------------------------------
def test_egapro_cell_gap_threshold_and_weighting():
    assert cell_gap(D(12000), D(19000)) == D("0.368421")
    assert cell_gap(D(20000), D(30000)) == D("0.333333")
    assert cell_gap(D(28000), D(21500)) == D("-0.302326")
    assert cell_gap(D(25000), D(50000)) == D("0.5")
    assert cell_gap(D(0), D(0)) is None
    csp, coef = D("0.05"), D("0.02")
    for gap, want in (
        ("0", "0"),
        ("0.05", "0"),
        ("0.051", "0.001"),
        ("0.067", "0.017"),
        ("0.368794", "0.318794"),
        ("-0.3", "-0.25"),
    ):
        assert after_threshold(D(gap), csp) == D(want)
    for gap, want in (("0.02", "0"), ("0.021", "0.001"), ("0.05", "0.03"), ("-0.3", "-0.28")):
        assert after_threshold(D(gap), coef) == D(want)
    assert weighted_gap(D("0.05"), 10, 250) == D("0.002")
    assert weighted_gap(D("0.12"), 23, 321) == D("0.008598")
    assert not is_calculable(100, 39) and is_calculable(100, 40)
    assert not is_calculable(600, 200) and is_calculable(700, 350)
    assert Cell(("a",), 3, 3, None, None).valid and not Cell(("a",), 2, 3, None, None).valid


def test_egapro_indicator1_score_grid():
    grid = load_pack("fr_egapro_2019").spec["indicator1_grid"]
    expected = {
        "0": 40,
        "0.1": 39,
        "0.5": 39,
        "1": 39,
        "2.2": 37,
        "7": 33,
        "7.1": 31,
        "8": 31,
        "13.2": 19,
        "50.5": 0,
        "2.1": 37,
        "2.09": 37,
        "2.05": 37,
        "2.04": 38,
        "2.01": 38,
        "2.0": 38,
    }
    assert {g: grid_score(D(g), grid) for g in expected} == expected


def test_egapro_indicator1_cells_and_score_by_hand():
    # Cell A ouvriers under 30: 4 women at 20,000, 6 men at 25,000 -> gap 0.2 -> 0.15 after 5%,
    # weight 10/16 -> 0.09375. Cell B ingenieurs_cadres 50+: 3 women at 50,000, 3 men at 40,000
    # -> -0.25 -> -0.2, weight 6/16 -> -0.075. Cell C employes 30-39: 2 women, 5 men -> not valid.
    # Valid cover 16 of 23 (>= 40%). Indicator = 100 x 0.01875 = 1.875 (for men) -> 1.9 -> 38 points.
    spec = [
        (4, "F", "ouvriers", 25, 20000),
        (6, "H", "ouvriers", 28, 25000),
        (3, "F", "ingenieurs_cadres", 55, 50000),
        (3, "H", "ingenieurs_cadres", 52, 40000),
        (2, "F", "employes", 33, 30000),
        (5, "H", "employes", 35, 31000),
    ]
    pop = pd.DataFrame(
        [{"category": c, "job_category": g, "age": a, "remuneration": D(p)} for n, c, g, a, p in spec for _ in range(n)]
    )
    pack = load_pack("fr_egapro_2019")
    cells = build_cells(pop, "job_category", pack.spec["csp"], pack.spec["age_bands"], 3)
    assert len(cells) == 16 and sum(c.valid for c in cells) == 2
    result = indicator1(cells, D("0.05"), D("0.4"), pack.spec["indicator1_grid"])
    weights = {d["cell"]: d["weighted"] for d in result.details if d["valid"]}
    assert weights == {("ouvriers", "under 30"): D("0.09375"), ("ingenieurs_cadres", "50 and over"): D("-0.075")}
    assert result.calculable and result.valid_total == 16 and result.total == 23
    assert result.gap_pct == D("1.875") and result.score == 38


def test_egapro_indicator5_and_index():
    grid = load_pack("fr_egapro_2019").spec["indicator5_grid"]
    assert [indicator5(w, 10 - w, grid) for w in range(11)] == [0, 0, 5, 5, 10, 10, 10, 5, 5, 0, 0]
    mx = load_pack("fr_egapro_2019").spec["max_points"]
    band = "251 a 999"
    # calculsEgaProIndex.test.ts
    assert index_score({"indicator1": 40, "indicator4": 15, "indicator5": 10}, mx, band, 75) == (None, 65, 65)
    assert index_score({"indicator1": 36, "indicator3": 10, "indicator4": 0, "indicator5": 10}, mx, band, 75) == (
        70,
        56,
        80,
    )
    assert index_score({"indicator1": 36, "indicator2": 15, "indicator4": 0, "indicator5": 10}, mx, band, 75) == (
        72,
        61,
        85,
    )
    assert index_score({"indicator1": 34, "indicator2": 10, "indicator3": 10, "indicator5": 10}, mx, band, 75) == (
        75,
        64,
        85,
    )
    assert index_score(
        {"indicator1": 35, "indicator2": 15, "indicator3": 10, "indicator4": 15, "indicator5": 5}, mx, band, 75
    ) == (80, 80, 100)
    assert index_score(
        {"indicator1": 21, "indicator2": 5, "indicator3": 5, "indicator4": 0, "indicator5": 0}, mx, band, 75
    ) == (31, 31, 100)


# -- NYC LL144 (SolasAI notebook tables, DCWP example) -------------------------------------
# (race, sex, applicants, selected); None = unknown. Reconstructed from the notebook's selection
# tables: intersections as published, the race-only and sex-only rows are the published
# marginals minus the intersections (e.g. White 5003 - 2411 - 2428 = 164 with no sex).
SOLAS = [
    ("White", "Female", 2411, 1657),
    ("White", "Male", 2428, 1702),
    ("Black", "Female", 677, 463),
    ("Black", "Male", 741, 516),
    ("Hispanic", "Female", 461, 360),
    ("Hispanic", "Male", 412, 338),
    ("Asian", "Female", 482, 479),
    ("Asian", "Male", 515, 512),
    ("Native Hawaiian", "Female", 258, 246),
    ("Native Hawaiian", "Male", 242, 229),
    ("Two or More Races", "Female", 403, 277),
    ("Two or More Races", "Male", 378, 270),
    ("Native American", "Female", 48, 46),
    ("Native American", "Male", 50, 47),
    ("White", None, 164, 115),
    ("Black", None, 53, 38),
    ("Hispanic", None, 28, 19),
    ("Native Hawaiian", None, 14, 13),
    ("Two or More Races", None, 18, 12),
    ("Asian", None, 27, 27),
    ("Native American", None, 2, 2),
    (None, "Female", 84, 61),
    (None, "Male", 103, 68),
    (None, None, 1, 1),
]
RACE_NAMES = {
    "White": "White",
    "Black": "Black or African American",
    "Hispanic": "Hispanic or Latino",
    "Asian": "Asian",
    "Native Hawaiian": "Native Hawaiian or Other Pacific Islander",
    "Two or More Races": "Two or more races",
    "Native American": "American Indian or Alaska Native",
}
SEX_NAMES = {"Female": "Woman", "Male": "Man"}


def _applications(spec):
    rows = []
    for race, sex, n, picked in spec:
        for i in range(n):
            rows.append(
                {
                    "gender": SEX_NAMES.get(sex, "Not disclosed"),
                    "race_ethnicity": RACE_NAMES.get(race, "Prefer not to say"),
                    "selected": i < picked,
                }
            )
    random.Random(1).shuffle(rows)
    return pd.DataFrame(rows)


def test_ll144_selection_tables_match_solasai():
    tables = audit_tables(load_pack("nyc_ll144_2023"), _applications(SOLAS))
    assert len(_applications(SOLAS)) == 10000
    sex = tables["sex"].set_index("category")
    assert sex.loc["Female", "applicants"] == 4824 and sex.loc["Female", "selected"] == 3589
    assert float(sex.loc["Female", "rate"]) == pytest.approx(0.743988, abs=5e-7)
    assert float(sex.loc["Female", "impact_ratio"]) == pytest.approx(0.983835, abs=5e-7)
    assert sex.loc["Male", "impact_ratio"] == 1
    race = tables["race"].set_index("category")
    assert float(race.loc["White", "impact_ratio"]) == pytest.approx(0.698476, abs=5e-7)
    assert float(race.loc["Hispanic or Latino", "impact_ratio"]) == pytest.approx(0.800473, abs=5e-7)
    assert float(race.loc["Native Hawaiian or Pacific Islander", "impact_ratio"]) == pytest.approx(0.955012, abs=5e-7)
    # the 2% rule: Native American (100 of 10,000 = 1%) is shown apart, rate 0.95, no ratio
    na = race.loc["Native American or Alaska Native"]
    assert na["excluded"] and na["applicants"] == 100 and na["rate"] == Fraction(95, 100) and na["impact_ratio"] is None
    inter = tables["intersection"].set_index("category")
    assert float(inter.loc["Asian Female", "impact_ratio"]) == pytest.approx(0.999599, abs=5e-7)
    assert float(inter.loc["Black or African American Male", "impact_ratio"]) == pytest.approx(0.700436, abs=5e-7)
    assert inter.loc["Native American or Alaska Native Female", "excluded"]
    assert float(inter.loc["Native American or Alaska Native Female", "rate"]) == pytest.approx(0.958333, abs=5e-7)
    # unknown categories (SolasAI unknown_table): race 188, sex 307, intersectional 494
    assert (tables["race_unknown"], tables["sex_unknown"], tables["intersection_unknown"]) == (188, 307, 494)


def test_ll144_rounding_as_in_the_dcwp_example():
    # 6 RCNY 5-301 example: Male 92 applicants, 54.3%, ratio 1.00; Female 76, 44.7%, ratio 0.82
    pack = load_pack("nyc_ll144_2023")
    apps = _applications([("White", "Male", 92, 50), ("White", "Female", 76, 34)])
    sex = audit_tables(pack, apps)["sex"].set_index("category")
    show = lambda v, unit: formatted({"value": v, "unit": unit, "suppressed": False}, pack)  # noqa: E731
    assert show(sex.loc["Male", "rate"], "rate") == "54.3" and show(sex.loc["Male", "impact_ratio"], "ratio") == "1.00"
    assert (
        show(sex.loc["Female", "rate"], "rate") == "44.7" and show(sex.loc["Female", "impact_ratio"], "ratio") == "0.82"
    )


def test_ll144_published_summary_items():
    # 6 RCNY 5-303(a): date of the audit, source and explanation of the data, the number assessed
    # in an unknown category (SolasAI: sex 307, race 188, intersectional 494, rows of the tables), the distribution
    # date; 5-301(d): the excluded category's applicants and selection rate are still published
    from pipelines.errors import UsageError
    from pipelines.families.pay.statutory.ll144 import audit_rows

    settings = {
        "nyc_ll144_2023": {
            "audit_date": "2024-02-01",
            "distribution_date": "2023-07-05",
            "data_explanation": "Applications to all roles in New York City",
        }
    }
    pack = load_pack("nyc_ll144_2023", {"rule_settings": settings})
    rows, notes = audit_rows(pack, _applications(SOLAS), "applications 2023-01-01 to 2023-12-31")
    assert notes[0].startswith("Date of the bias audit: 2024-02-01")
    assert notes[1] == (
        "Source of the data: historical data of the employer's use of the tool; applications "
        "2023-01-01 to 2023-12-31. Applications to all roles in New York City."
    )
    assert "Number of individuals assessed: 10000" in notes[2]
    unknown = {r["section"]: r["value"] for r in rows if r["group"] == "Unknown (not in the calculations)"}
    assert unknown == {"Sex categories": 307, "Race/ethnicity categories": 188, "Intersectional categories": 494}
    assert notes[3] == "Distribution date of the tool: 2023-07-05."
    excluded = {
        r["measure"]: r["value"]
        for r in rows
        if r["group"] == "Native American or Alaska Native" and "excluded" in r["section"]
    }
    assert excluded == {"Number of applicants": 100, "Number selected": 95, "Selection rate": Fraction(95, 100)}
    _, bare = audit_rows(load_pack("nyc_ll144_2023"), _applications(SOLAS))
    assert "not given (rule_settings.nyc_ll144_2023.audit_date)" in bare[0]
    bad = load_pack("nyc_ll144_2023", {"rule_settings": {"nyc_ll144_2023": {"audit_date": "01/02/2024"}}})
    with pytest.raises(UsageError, match="audit_date must be a date"):
        audit_rows(bad, _applications(SOLAS))


# -- EU (Directive 2023/970) ---------------------------------------------------------------
def test_eu_five_percent_boundary_in_exact_decimals():
    # 5 men on 40,000 and 5 women on 38,000 a year, hourly over 40 x 52.143 hours: the gap is
    # (40,000 - 38,000) / 40,000 = exactly 5 %, printed 5.00 (two decimals, the pack's rounding)
    from decimal import localcontext

    with localcontext() as ctx:
        ctx.prec = 50  # as statutory/population.py computes hourly pay
        hours = D("40") * D("52.143")
        men, women = D(40000) / hours, D(38000) / hours
    pop = people([(5, "male", {"hourly": men}), (5, "female", {"hourly": women})])
    pack = load_pack("eu_2023_970")
    rows = [r for r in GapReport(pack, pop).rows() if r["measure"] == "(a) Gender pay gap, mean hourly basic pay"]
    assert abs(rows[0]["value"] - 5) < D("1e-40")
    assert formatted(rows[0], pack) == "5.00"
