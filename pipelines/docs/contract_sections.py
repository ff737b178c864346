"""The sections of docs/data_contract.md on single mapping features (`weight`, matching by
name, `snapshot`): str.format templates that data_contract.py fills in from the code."""

# its own constant, not part of CONTRACT_INTRO: the mapping features are documented by
# several hands at once, and one section per feature keeps their edits apart
WEIGHT_SECTION = """\
### Aggregated rows: `weight`

An export that holds counts instead of people (one row per Admit x Gender x Dept with the
number of applicants, as `UCBAdmissions.csv`) names its count column as the mapping's
`weight`. Each row is **expanded at ingest into `weight` records**, before any metric runs, so
every count (applications, selection rates, impact ratios, Mantel-Haenszel strata, funnels)
counts people, and published figures are protected exactly as for individual rows (the
cell-key perturbation and the k rule apply to the counts of people; see privacy.md):

```yaml
mapping:
  recruiting/applications:
    file: UCBAdmissions.csv
    weight: Freq                     # or {{column: Freq, max: 500000}}
    columns:
      application_id: {{generated: line}}   # UCBAdmissions.csv:2#1 ... UCBAdmissions.csv:2#512
      status: {{column: Admit, values: {{Admitted: hired, Rejected: rejected}}}}
```

With `weight: Freq`, the 24 rows of `UCBAdmissions.csv` load as 4526 applications: row 3,
`3,Admitted,Female,A,89`, is 89 admitted women in department A (ids `3#1` ... `3#89` when
`application_id: rownames`). `equity metrics selection_rate --by gender --exact` then gives
557 of 1835 women and 1198 of 2691 men admitted (30.4% and 44.5%, the published figures), and
`equity hiring adverse-impact --by gender --stratify department` compares them within the six
departments (examples/ucb_admissions is the complete example; without the weight the same
file reports 24 "applications").

- The weight must be a whole number of at least 0 (`12`, or `12.0` as R and pandas write
  counts). A blank, negative, fractional or non-numeric weight, or one above the limit
  (`max`, default {max_weight:,} per row), sends the row to quarantine with file, line, the
  weight column and the reason. A row of weight 0 loads and stands for nobody. Weights adding
  up to more than {max_records:,} records in one source stop the build.
- The copies of a row share its line (a quarantine or error names the row of the export) and
  every value. Their ids ({weight_ids}) get `#1` ... `#n` appended: unique, and the same on
  every rebuild of the same file. The run manifest counts rows (`rows_in = rows_loaded +
  rows_quarantined`) and, in `records_loaded`, the records they stand for.
- Two rows with the same labels and different counts are two rows; an exact repeat (count
  included) is a duplicate as usual.
- Rows may carry a weight in: {weighted}. Every other contract file refuses `weight` with a
  configuration error: pay regressions, survival and tenure, spend and survey scores need one
  row per person or transaction, and copies of an aggregated row would invent them. A metric
  that needs each application's own dates (`time_in_stage`) stops with a message naming the
  weighted file instead of computing from copies.
- Weighted rows are expanded by the duckdb engine; the Spark engine refuses them.
"""

NAMES_SECTION = """\
### Certification lists with other ids: `supplier_by_name`, `parent_by_name`

A certification list (a city's MBE list, a state directory) numbers firms its own way, so its
ids never meet the vendor ids of the payments. `supplier_by_name` on the
`procurement/certifications` mapping names the list's name column(s) instead of a
`supplier_id`; each row certifies the suppliers whose **normalised name** equals one of its
names. `parent_by_name: true` on `procurement/suppliers` makes vendor ids with one normalised
name one company (the first id in sort order becomes the parent of the others, where they have
no `parent_supplier_id`):

```yaml
mapping:
  procurement/suppliers:
    file: payments_*.csv                 # the vendors, from the payments themselves
    parent_by_name: true                 # ZONES LLC under three vendor ids is one company
    columns: {{supplier_id: vendor_id, supplier_name: vendor_name}}
  procurement/certifications:
    file: mbe_list.csv
    supplier_by_name: [company_name, dba_name]    # any of them may match
    columns:
      certification: {{value: MBE}}
      valid_from: {{value: "2019-07-01"}}        # the list has no dates: a person decides
```

- Normalising: accents, case and punctuation are dropped (`L.L.C.` = `LLC`, `O'Brien` =
  `OBrien`), `&` is `and`, a leading `The` and trailing legal forms ({suffixes}) are removed,
  repeatedly. "Vanir Construction Management, Inc." = "VANIR CONSTRUCTION MANAGEMENT INC".
  There is no fuzzy matching: "VALLE GRANDE" does not match "VALLE GRANDE CONSTRUCTION".
- A row whose names meet **one** supplier name certifies every vendor id with that name
  (the manifest counts the row once in `rows_loaded`, its copies in `records_loaded`).
- A row whose names meet **no** supplier name is **unmatched**; one whose names meet two or
  more different supplier names (legal name one vendor, DBA another) is **ambiguous**. Both
  are quarantined with the reason and the name (ambiguous: the names and ids it met), so
  nothing is guessed and nothing is dropped silently. Two list rows matching one supplier
  with the same values are an exact duplicate (quarantined as usual).
- Where to see it: `equity build` prints one line per build (`Supplier names matched
  (mbe_list.csv: 91 list row(s) matched, 2004 unmatched; ...)`) and counts the quarantined
  rows as for any file; `equity quality`
  and the Data quality page list them by reason with example names, and a *Supplier name
  matching* table counts the rows per file and outcome (matched, unmatched, ambiguous, and
  the vendor ids grouped as one company). The database keeps every outcome in
  `supplier_name_matches` (file, line, name, normalised name, outcome, supplier ids).
- Privacy: spend figures and supplier counts test k on **companies** (ultimate parents), so
  a company paid under three vendor ids is one contributor, never three.
- `equity map` suggests both in its draft: `supplier_by_name` (with the name columns) for a
  certification list without a supplier id, or for a file of firm names that matched no
  contract file, and `parent_by_name` on a supplier master without parents.
- A build that matches by name reads every source again (no incremental reuse). Matching by
  name is done by the duckdb engine; the Spark engine refuses it.
"""


SNAPSHOT_SECTION = """\
### Snapshot-shaped HR input: `snapshot`

Some HR exports hold one row per person **per snapshot date** instead of one row per person
with hire and exit dates: yearly payroll files (who was paid what each year), or one headcount
file with an attrition flag and tenure in years. `snapshot` in the `hr/employees` mapping
gives each row its snapshot date (a column, an `expr` or a `value`, like a mapped column);
the rows are read, checked and quarantined as usual, then each person's rows are collapsed
into the contract's one row per person by these rules, which never invent a day:

- **Present at start (left-censored).** A person in the first snapshot was employed when
  observation began; the hire date is not known. Unless a hire date is mapped, it is recorded
  as the day before `observed_from` (default: the first snapshot date), outside the window,
  so nobody is counted as a hire for being there already.
- **Hire in an interval.** A person first seen in a later snapshot was hired since the
  previous one, recorded on the snapshot date they first appear.
- **Exit in an interval.** A person missing from a later snapshot left since the last one
  they are in, recorded on the day before the first snapshot they are missing from (the last
  day the exit can have happened). A mapped `termination_date` wins: an attrition flag is
  `{{expr: "CASE WHEN Attrition = 'Yes' THEN DATE '2020-12-31' END"}}`, an exit within the
  observation year recorded on its last day.
- **Censored.** A person in the last snapshot is still employed.
- A person missing from one snapshot and back in a later one is taken as employed
  throughout (the contract holds one employment spell per person); how many people that
  bridges is recorded (`snapshot_sources.people_with_gaps`). The person's attributes
  are those of their latest snapshot; `hr/job_history` keeps one row per snapshot
  (`effective_date` = the snapshot date), so pay and job are those of each snapshot.
- A derived hire date (`hire_date: {{expr: "DATE '2020-12-31' - to_years(CAST(YearsAtCompany
  AS INTEGER))"}}`) is used only when mapped, and then says so in equity.yml: for a leaver,
  years at the company is the tenure at an exit whose day is unknown.

```yaml
mapping:
  hr/employees:
    file: Employee_Salaries_*.csv                     # one file per year
    from_file_name: {{file_year: '((?:19|20)\\d\\d)'}}
    snapshot:
      date: {{expr: "make_date(CAST(file_year AS INTEGER), 12, 31)"}}
      observed_from: "2019-01-01"                     # optional
    columns:
      employee_id: {{generated: line}}                # no id: rows are not linked (below)
  hr/job_history:
    file: Employee_Salaries_*.csv
    from_file_name: {{file_year: '((?:19|20)\\d\\d)'}}
    columns:
      employee_id: {{generated: line}}
      effective_date: {{expr: "make_date(CAST(file_year AS INTEGER), 12, 31)"}}
```

**Linking people across snapshots** needs a person id. Without one (`{{generated: line}}`, as
in the Montgomery County payroll files, which have no names or ids), a row cannot be found
again in the next snapshot: each row is a person seen on its snapshot date only. Matching
rows across years on department, grade, gender and salary would pair different people
(thousands share them) and miss everyone who got a raise, so it is not attempted.

What a snapshot source supports (the `from_snapshots` entry of each workforce metric; a
metric that is not supported stops with a message naming the file, never a figure such as
the 100% turnover of unlinked rows):

| | linked rows (a person id) | rows without a person id |
|---|---|---|
| pay metrics and {stock} | yes, per snapshot date | yes, per snapshot date |
| {exits} | exits per interval: with a mapped exit (flag) or a second snapshot | no |
| {hires} | hires per interval: with a mapped hire date or a second snapshot | no |
| {changes} | job changes between snapshots: with a second snapshot | no |
| every other workforce metric (tenure, retention, time to exit, leave) | only with mapped hire and exit dates | no |
| the pay factor `tenure_years` | only with a mapped hire date | only with a mapped hire date |

Turnover from snapshots counts the exits of an interval over the average month-end headcount
(as always); with exits dated on the interval's last days, that is the exits over the people
employed in the interval. The build records what it read in the `snapshot_sources` table
(file, linked, number of snapshots, first and last date, whether hire and exit dates were
mapped, people with gaps), the run manifest counts the rows read and, in `records_loaded`, the people. Two rows
of one person in one snapshot stop the build (duplicate key); a row whose snapshot date is
missing or not a date is quarantined (column `snapshot.date`). `snapshot` applies to
`hr/employees` only, and the duckdb engine collapses it (the Spark engine refuses it). The
dashboard pages and the PDF report show what is supported and say, in place of the rest, why
it cannot be computed from this data.
"""
