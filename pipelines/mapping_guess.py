"""`equity map`'s guesses: which contract columns each source column may hold (by its name and
the shape of its values) and which contract files a source feeds; the value maps onto the
project's labels are in mapping_value_map.py.

A guess is never a decision: weak matches, ambiguous dates and unknown values are marked for
a person (ColumnChoice.todo). Demographic answers stay data: only spellings of the same answer
are mapped (F -> Woman); "Prefer not to say", "Not disclosed", non-binary and any other answer
are kept as given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .contract import Column, Table
from .mapping_inspect import ColumnProfile
from .mapping_value_map import MAX_MAPPED, VALUE_LABELS, known_share, norm

STRONG, WEAK, LISTED = 0.75, 0.5, 0.3  # choose / choose with a TODO / only list

# normalised header names (lower case, letters and digits only) that mean a contract column;
# WEAK_NAMES are plausible but need a person's look (a monthly amount, a hire date used as the
# date of a job record)
NAMES = {
    "employee_id": "empid employeeid employeenumber empno employeeno staffid personid workerid personnelnumber",
    "gender": "sex gender genderidentity",
    "race_ethnicity": "race ethnicity racedesc raceethnicity ethnicgroup",
    "birth_year": "birthyear yearofbirth dob dateofbirth birthdate",
    "hire_date": "hiredate dateofhire datehired startdate originalhiredate employmentstartdate",
    "termination_date": "terminationdate dateoftermination termdate separationdate exitdate leavingdate enddate",
    "termination_type": "terminationtype termtype separationtype exittype employmentstatus",
    "termination_reason": "terminationreason termreason separationreason exitreason leavingreason",
    "regretted": "regretted regrettable regrettedloss",
    "disability": "disability disabled disabilitystatus",
    "veteran": "veteran veteranstatus protectedveteran",
    "lgbtq": "lgbtq lgbt lgbtqstatus sexualorientation",
    "effective_date": "effectivedate effdate asofdate recorddate",
    "department": "department dept departmentname deptname",
    "job_family": "jobfamily jobfunction jobrole",
    "job_level": "joblevel level grade paygrade band rank jobgrade",
    "location": "location office site worklocation",
    "country": "country countrycode",
    "employment_type": "employmenttype emptype contracttype",
    "fte": "fte fulltimeequivalent",
    "annual_base_salary": "annualbasesalary basesalary salary annualsalary basepay",
    "currency": "currency currencycode",
    "performance_rating": "performancerating performancescore rating perfrating",
    "change_reason": "changereason actionreason",
    "application_id": "applicationid appid",
    "candidate_id": "candidateid applicantid",
    "requisition_id": "requisitionid reqid jobid jobadid postingid",
    "applied_date": "applieddate applicationdate dateapplied",
    "source": "source recruitmentsource candidatesource channel",
    "status": "status outcome decision admit admitted hired receivedcallback callback applicationstatus",
    "stage": "stage",
    "entered_date": "entereddate stagedate",
    "supplier_id": "supplierid vendorid vendornum vendornumber supplierno",
    "supplier_name": "suppliername vendorname companyname businessname",
    "parent_supplier_id": "parentsupplierid parentvendorid",
    "certification": "certification certificationtype certtype",
    "certifying_body": "certifyingbody certifier agency",
    "valid_from": "validfrom certificationdate certdate",
    "valid_to": "validto expirationdate expirydate expiration",
    "transaction_id": "transactionid invoiceid paymentid invoicenumber",
    "transaction_date": "transactiondate paymentdate invoicedate",
    "amount": "amount dollaramount paymentamount spend",
    "category": "category spendcategory expendituretype",
    "business_unit": "businessunit",
}
WEAK_NAMES = {
    "employee_id": "rownames id",
    "application_id": "rownames id",
    "effective_date": "dateofhire hiredate startdate",
    "department": "division discipline departmentcode",
    "job_family": "position jobtitle title role",
    "location": "state city",
    "annual_base_salary": "monthlyincome income pay",
    "supplier_id": "certificationnumber companyid",
    "supplier_name": "name",
    "transaction_id": "idnumber",
    "business_unit": "departmentname department",
}
# hints for a required column nothing matched: header words that suggest a derivation
_SERVICE_YEARS = "yearsatcompany yrsservice yearsservice yearsofservice tenure tenureyears"
_YEARS_BEFORE = '{expr: "DATE \'YYYY-MM-DD\' - to_years(CAST(\\"{col}\\" AS INTEGER))"}'
HINTS = {
    "hire_date": (_SERVICE_YEARS, "hire_date: " + _YEARS_BEFORE + " (hired that many years before the snapshot date)"),
    "effective_date": (
        _SERVICE_YEARS,
        "effective_date: " + _YEARS_BEFORE + " (the one job record starts on the hire date derived the same way)",
    ),
    "termination_date": (
        "attrition terminated termd left exited",
        'termination_date: {expr: "CASE WHEN '
        "\\\"{col}\\\" = 'Yes' THEN DATE 'YYYY-MM-DD' END\"} (an exit flag: left by the snapshot date)",
    ),
}


def _words(spec: dict, name: str) -> set[str]:
    return set(spec.get(name, "").split())


def name_score(header: str, column: str) -> float:
    """1 for the contract name or a known synonym, WEAK for a plausible one, less for a
    header that contains the contract name's words."""
    n = norm(header)
    if not n:
        return 0.0
    if n == norm(column) or n in _words(NAMES, column):
        return 1.0
    if n in _words(WEAK_NAMES, column):
        return WEAK
    wanted = [w for w in column.split("_") if w != "id"] or ["id"]
    if all(w in n for w in wanted) and len(n) <= 3 * len(norm(column)):
        return 0.6
    if any(len(s) >= 6 and s in n for s in _words(NAMES, column) | _words(WEAK_NAMES, column)):
        return WEAK
    return 0.0


def shape_fit(profile: ColumnProfile, column: Column) -> float:
    """How well the sampled values fit the contract column's type (0 = they cannot)."""
    if profile.filled == 0:
        return 0.3
    kind, few = column.type, not profile.overflow and profile.distinct <= MAX_MAPPED
    if column.name in VALUE_LABELS:
        return 1.0 if known_share(profile, VALUE_LABELS[column.name]) >= 0.5 else 0.4
    if kind == "date":
        return 1.0 if profile.date_formats() else 0.0
    if kind == "integer" and column.name == "birth_year":
        in_range = profile.integer and 1900 <= (profile.low or 0) and (profile.high or 0) <= 2100
        return 1.0 if in_range or profile.date_formats() else 0.0
    if kind in ("integer", "decimal", "money"):
        return 1.0 if (profile.integer if kind == "integer" else profile.numeric) else 0.0
    if kind == "boolean":
        return 1.0 if profile.boolean else 0.2
    if kind == "currency":
        return 1.0 if all(len(v) == 3 and v.isalpha() for v in profile.values) else 0.0
    if kind == "month":
        return 1.0 if all(re.match(r"^\d{4}-\d{2}$", v) for v in profile.values) else 0.0
    if kind in ("category", "enum"):
        return 1.0 if few and not profile.numeric else 0.6 if few else 0.2
    if kind == "label":
        return 1.0 if profile.distinct <= 500 else 0.5
    if column.name.endswith("_id"):
        return 1.0 if profile.unique else 0.7
    return 1.0


def candidates(columns: dict[str, ColumnProfile], column: Column) -> list[tuple[float, str]]:
    """(score, header name) of every source column that may hold `column`, best first."""
    out = []
    for name, profile in columns.items():
        score = name_score(name, column.name) * shape_fit(profile, column)
        if column.name in VALUE_LABELS and known_share(profile, VALUE_LABELS[column.name]) >= 0.8:
            score = max(score, 0.7)  # the answers themselves say what the column is
        if score >= LISTED:
            out.append((round(score, 2), name))
    return sorted(out, key=lambda c: -c[0])


@dataclass
class ColumnChoice:
    """What the draft says for one contract column."""

    column: str
    spec: object = None  # the mapping value; None = left for a person (commented)
    todo: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    source: str | None = None  # the source column read, when one is


def date_choice(profile: ColumnProfile) -> tuple[str | None, list[str]]:
    """(strptime format, TODO notes) for a date column."""
    formats = profile.date_formats()
    if not formats:
        return None, ["no date format reads every sampled value"]
    differing = [f for f in formats[1:] if not profile.same_dates(formats[0], f)]
    todo = [f"the dates read as {formats[0]} or as {differing[0]}: check which"] if differing else []
    return formats[0], todo


def hint(column: str, columns: dict[str, ColumnProfile]) -> str | None:
    """An example derivation for a required column nothing matched, from a telling header."""
    if column not in HINTS:
        return None
    words, example = HINTS[column]
    for name in columns:
        if norm(name) in words.split():
            return example.replace("{col}", name)
    return None


def table_matches(table: Table, columns: dict[str, ColumnProfile]) -> dict[str, list[tuple[float, str]]]:
    """contract column -> its candidates in this source (only columns with one)."""
    found = {name: candidates(columns, col) for name, col in table.columns.items()}
    return {k: v for k, v in found.items() if v}


def assign(table: Table, matches: dict[str, list[tuple[float, str]]]) -> dict[str, tuple[float, str]]:
    """One source column per contract column (best scores first, each read once per table)."""
    pairs = sorted(
        ((s, c, h) for c, cands in matches.items() for s, h in cands),
        key=lambda p: (-p[0], list(table.columns).index(p[1])),
    )
    chosen: dict[str, tuple[float, str]] = {}
    used: set[str] = set()
    for score, col, header in pairs:
        if col in chosen or header in used:
            continue
        if score < WEAK and not table.columns[col].required:
            continue
        chosen[col] = (score, header)
        used.add(header)
    return chosen
