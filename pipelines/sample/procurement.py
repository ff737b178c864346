"""Supplier master, certifications and tier 2 reports (the spend itself is in spend.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from . import _common as c

CATEGORIES = ["IT", "Facilities", "Professional services", "Marketing", "Travel", "Logistics", "Benefits", "Taxes"]
CATEGORY_P = [0.20, 0.15, 0.22, 0.12, 0.10, 0.13, 0.04, 0.04]
TYPICAL_AMOUNT = np.array([9_000, 5_000, 14_000, 7_000, 1_200, 3_500, 40_000, 50_000], dtype=float)
NOT_ADDRESSABLE = [CATEGORIES.index("Benefits"), CATEGORIES.index("Taxes")]
COUNTRIES = ["US", "CA", "GB", "DE", "FR", "NL", "IE"]
COUNTRY_P = [0.78, 0.03, 0.04, 0.06, 0.04, 0.03, 0.02]
EURO_COUNTRIES = [3, 4, 5, 6]  # invoices in EUR; everyone else bills in USD
SUFFIX = {
    "US": [" LLC", ", Inc.", " Co.", " Group"],
    "CA": [" Inc.", " Ltd."],
    "GB": [" Ltd", " plc"],
    "DE": [" GmbH", " AG"],
    "FR": [" SAS", " SARL"],
    "NL": [" B.V."],
    "IE": [" Ltd"],
}
NAME_WORDS = [
    "Acme",
    "Blue Ridge",
    "Cedar",
    "Summit",
    "Harbor",
    "Pioneer",
    "Redwood",
    "Silverline",
    "Granite",
    "Northstar",
    "Maple",
    "Keystone",
    "Evergreen",
    "Lakeside",
    "Ironwood",
    "Brightpath",
    "Cobalt",
    "Meridian",
    "Sterling",
    "Willow",
    "Falcon",
    "Orchard",
    "Beacon",
    "Copperleaf",
    "Riverbend",
    "Tidewater",
    "Highland",
    "Juniper",
    "Lighthouse",
    "Oakmont",
]
CATEGORY_WORDS = [
    ["Systems", "Software", "Data", "Networks"],
    ["Facility Services", "Property Care", "Cleaning"],
    ["Consulting", "Advisors", "Partners"],
    ["Creative", "Media", "Studio"],
    ["Travel", "Hospitality"],
    ["Logistics", "Freight", "Courier"],
    ["Health Plans", "Benefits"],
    ["Revenue Office", "Tax Services"],
]

CERT_BODIES = {
    "MBE": "NMSDC",
    "WBE": "WBENC",
    "VBE": "NaVOBA",
    "SDVOSB": "SBA VetCert",
    "LGBTBE": "NGLCC",
    "DOBE": "Disability:IN",
    "SB": "SBA",
    "HUBZONE": "SBA",
    "SDB": "SBA",
}
CERT_P = {
    "MBE": 0.25,
    "WBE": 0.25,
    "SB": 0.20,
    "VBE": 0.06,
    "SDVOSB": 0.05,
    "LGBTBE": 0.04,
    "DOBE": 0.04,
    "HUBZONE": 0.05,
    "SDB": 0.06,
}
CERT_YEARS = {"NMSDC": 1, "WBENC": 1, "NaVOBA": 2, "SBA VetCert": 3, "NGLCC": 2, "Disability:IN": 2, "SBA": 3}
CERTIFIED_SHARE = 0.20
RENEWAL_P = 0.92

# Planted truth 4: (supplier number, name, category, share of spend rows, certifications as
# (certification, first valid_from, years per term, number of renewals)).
LAPSE_END = "2023-06-30"
ALWAYS = 99  # renewals: more than the window holds
PLANTED_SUPPLIERS = [
    (
        5,
        "Rivera & Chen Consulting",
        "Professional services",
        0.020,
        [("MBE", "2016-03-01", 2, ALWAYS), ("WBE", "2017-09-01", 1, ALWAYS)],
    ),
    (7, "Okafor Facility Services", "Facilities", 0.015, [("MBE", "2017-07-01", 2, 2)]),
    (11, "Bluebird Creative Studio", "Marketing", 0.015, [("WBE", "2017-07-01", 2, 2)]),
    (19, "Prism Freight Partners", "Logistics", 0.015, [("LGBTBE", "2017-07-01", 2, 2)]),
]
LAPSED_SUPPLIERS = [number for number, *_, certs in PLANTED_SUPPLIERS if certs[0][3] < ALWAYS]
UNION_SUPPLIER = PLANTED_SUPPLIERS[0][0]


@dataclass
class Suppliers:
    count: int
    category: np.ndarray  # code into CATEGORIES
    euro: np.ndarray  # invoices in EUR
    weight: np.ndarray  # share of transactions (sums to 1)
    typical: np.ndarray  # typical invoice, in the supplier's currency
    certs: list  # (supplier index, certification, body, valid_from day, valid_to day or NO_DAY)
    tier2_primes: list  # supplier indexes reporting tier 2 spend


def supplier_ids(index, count: int, mask=None):
    return c.ids("S", np.asarray(index) + 1, max(5, len(str(count))), mask)


def _to_day(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days


def _add_years(d: dt.date, years: int) -> dt.date:
    return d.replace(year=d.year + years, day=min(d.day, 28) if d.month == 2 else d.day)


def certification_terms(rng, first: dt.date, years: int, renewals: int | None) -> list[tuple[int, int]]:
    """Consecutive validity windows from `first`: renewed `renewals` times (None: randomly, with
    RENEWAL_P each time), some renewals a few weeks late; windows starting after as-of are dropped."""
    terms, start, done = [], first, 0
    while _to_day(start) <= c.AS_OF:
        end = _add_years(start, years) - dt.timedelta(days=1)
        terms.append((_to_day(start), _to_day(end)))
        renewed = done < renewals if renewals is not None else rng.random() < RENEWAL_P
        if not renewed:
            break
        done += 1
        late = int(rng.integers(1, 61)) if renewals is None and rng.random() < 0.15 else 0
        start = end + dt.timedelta(days=1 + late)
    return terms


def _supplier_name(pick, category: int, country: str) -> str:
    """A fictional company name that fits the category and the country's legal form."""
    words = CATEGORY_WORDS[category]
    suffixes = SUFFIX[country]
    return f"{NAME_WORDS[pick[0] % len(NAME_WORDS)]} {words[pick[1] % len(words)]}{suffixes[pick[2] % len(suffixes)]}"


def _random_certifications(rng: np.random.Generator, certified: np.ndarray) -> list:
    """One certification (10%: two) per certified supplier, first granted 2014-2025, with its
    renewal history. ~20% of suppliers, a handful of rows each: not a per-transaction loop."""
    certs = []
    kinds, kind_p = list(CERT_P), np.array(list(CERT_P.values()))
    for s in certified:
        held = rng.choice(len(kinds), size=2 if rng.random() < 0.10 else 1, replace=False, p=kind_p)
        for k in np.sort(held):
            body = CERT_BODIES[kinds[k]]
            first = dt.date.fromordinal(dt.date(2014, 1, 1).toordinal() + int(rng.integers(0, 12 * 365)))
            terms = certification_terms(rng, first, CERT_YEARS[body], None)
            if kinds[k] == "SB" and rng.random() < 0.3:  # self-certified small business: no expiry recorded
                terms = [(terms[0][0], c.NO_DAY)]
            certs += [(int(s), kinds[k], body, a, b) for a, b in terms]
    return certs


def draw_suppliers(rng: np.random.Generator, employees: int) -> tuple[Suppliers, dict]:
    """The supplier population (what spend needs) and the master-file columns (names, parents,
    countries)."""
    count = max(60, employees // 6)
    category = rng.choice(len(CATEGORIES), size=count, p=CATEGORY_P)
    country = rng.choice(len(COUNTRIES), size=count, p=COUNTRY_P)
    weight = rng.lognormal(0, 1.5, count)
    typical = TYPICAL_AMOUNT[category] * rng.lognormal(0, 0.5, count)
    special = np.array([n - 1 for n, *_ in PLANTED_SUPPLIERS])
    name_picks = rng.integers(0, 1 << 30, (count, 3))

    # A few groups: parents are ordinary suppliers; ~8% of the others belong to one. One level only,
    # so there are no cycles. Certified suppliers stay independent (a certification is the holder's).
    ordinary = np.setdiff1d(np.arange(count), special)
    n_parents = max(3, count // 80)
    parents = np.sort(rng.choice(ordinary[ordinary >= 20], size=n_parents, replace=False))
    parent_of = np.full(count, -1)
    candidates = np.setdiff1d(ordinary, parents)
    children = np.sort(rng.choice(candidates, size=int(len(candidates) * 0.08), replace=False))
    parent_of[children] = rng.choice(parents, size=len(children))

    # Certified: independent suppliers in addressable categories (the planted ones are added below).
    pool = np.setdiff1d(candidates, children)
    pool = pool[~np.isin(category[pool], NOT_ADDRESSABLE)]
    n_cert = max(0, min(len(pool), int(round(count * CERTIFIED_SHARE)) - len(special)))
    certified = np.sort(rng.choice(pool, size=n_cert, replace=False))
    certs = _random_certifications(rng, certified)
    country[certified] = 0  # US certifications are held by US businesses

    names = [_supplier_name(pick, k, COUNTRIES[g]) for pick, k, g in zip(name_picks, category, country)]
    for number, name, cat, share, held in PLANTED_SUPPLIERS:
        i = number - 1
        names[i], category[i], country[i], parent_of[i] = name, CATEGORIES.index(cat), 0, -1
        typical[i] = TYPICAL_AMOUNT[category[i]]
        for cert, first, years, renewals in held:
            body = CERT_BODIES[cert]
            certs += [
                (i, cert, body, a, b)
                for a, b in certification_terms(rng, dt.date.fromisoformat(first), years, renewals)
            ]
    # Planted suppliers get fixed shares of the transactions so their effect is visible at any size.
    fixed = sum(share for *_, share, _ in PLANTED_SUPPLIERS)
    weight[special] = 0
    weight *= (1 - fixed) / weight.sum()
    weight[special] = [share for *_, share, _ in PLANTED_SUPPLIERS]
    certs.sort(key=lambda r: (r[0], r[1], r[3]))

    holders = {s for s, *_ in certs}
    primes = [
        int(s)
        for s in np.argsort(-weight, kind="stable")
        if s not in holders and COUNTRIES[country[s]] == "US" and category[s] not in NOT_ADDRESSABLE
    ][:4]
    master = {"names": names, "parent_of": parent_of, "country": country}
    return Suppliers(count, category, np.isin(country, EURO_COUNTRIES), weight, typical, certs, primes), master


def write_suppliers(out_dir, sup: Suppliers, master: dict) -> dict[str, int]:
    n = sup.count
    parent = master["parent_of"]
    counts = {}
    with c.CsvTable(out_dir, "procurement__suppliers") as out:
        out.write(
            {
                "supplier_id": supplier_ids(np.arange(n), n),
                "supplier_name": c.text(master["names"]),
                "parent_supplier_id": supplier_ids(parent, n, mask=parent < 0),
                "country": c.labels(master["country"], COUNTRIES),
            }
        )
    counts["procurement/suppliers.csv"] = out.rows
    rows = sup.certs
    with c.CsvTable(out_dir, "procurement__certifications") as out:
        out.write(
            {
                "supplier_id": supplier_ids([r[0] for r in rows], n),
                "certification": c.text([r[1] for r in rows]),
                "certifying_body": c.text([r[2] for r in rows]),
                "valid_from": c.dates([r[3] for r in rows]),
                "valid_to": c.dates([r[4] for r in rows]),
            }
        )
    counts["procurement/certifications.csv"] = out.rows
    return counts


def write_tier2(out_dir, rng: np.random.Generator, sup: Suppliers) -> int:
    """Each prime reports, per calendar year 2021-2025, its own diverse spend by certification;
    the first two report spend on our contracts (direct), the others company-wide (indirect)."""
    diverse = ["MBE", "WBE", "VBE", "SDVOSB", "LGBTBE", "DOBE"]
    rows = []
    for rank, prime in enumerate(sup.tier2_primes):
        revenue = float(rng.integers(80, 900)) * 1e6
        for year in range(2021, 2026):
            held = np.sort(rng.choice(len(diverse), size=int(rng.integers(2, 5)), replace=False))
            for k in held:
                amount = float(rng.integers(200, 6000)) * 100
                indirect = rank >= 2
                rows.append(
                    (
                        prime,
                        year,
                        diverse[k],
                        amount,
                        indirect,
                        round(revenue * 1.05 ** (year - 2021), -3) if indirect else None,
                    )
                )
    with c.CsvTable(out_dir, "procurement__tier2_spend") as out:
        out.write(
            {
                "prime_supplier_id": supplier_ids([r[0] for r in rows], sup.count),
                "period_start": c.text([f"{r[1]}-01-01" for r in rows]),
                "period_end": c.text([f"{r[1]}-12-31" for r in rows]),
                "certification": c.text([r[2] for r in rows]),
                "amount": c.money([r[3] for r in rows]),
                "currency": c.text(["USD"] * len(rows)),
                "attribution": c.text(["indirect" if r[4] else "direct" for r in rows]),
                "prime_total_revenue": c.money([r[5] or 0 for r in rows], mask=np.array([r[5] is None for r in rows])),
            }
        )
    return out.rows
