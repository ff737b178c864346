"""The opening of docs/data_contract.md: how values are read and how `mapping` in equity.yml
reads real exports. A str.format template (doubled braces are literal); data_contract.py fills
it in from the code's own constants."""

CONTRACT_INTRO = """\
# Data contract

A data folder holds UTF-8 CSV files (a BOM is accepted) with a header row, in the layout
below, plus an optional `equity.yml` (settings) and an optional `commitments.yml` (the
commitments register, described in [commitments.md](commitments.md)). Any family may be
supplied alone (only recruiting, only procurement, only voice, or HR): `hr/employees.csv` and
`hr/job_history.csv` are required together when HR data is supplied, and an absent family shows
"no data loaded" on its dashboard page. Without HR files the reporting window (`as_of`,
`history_start`) comes from the dates of the files present: the latest date not after today,
and the start of the fiscal year of the earliest. Applications without
`recruiting/application_stages.csv` are a one-stage funnel (applied -> status); set
`recruiting.stage_order: [applied, hired]` so no intermediate stage is assumed.

How values are treated:

- Every value is read as text, trimmed, and then cast. A value that cannot be used (not a
  date, not an allowed value, out of range, missing where required, pointing at an unknown
  employee) sends its row to the `quarantine` table with file, line, column, raw value and
  reason; the rest of the file loads. `rows_in = rows_loaded + rows_quarantined` holds for
  every file and is recorded in the run manifest.
- Structural problems stop the build with a message naming file, line and column: a missing
  required file or column, a duplicate key, an end date before its start, a currency with no
  FX rate, a file that is not UTF-8 CSV. The previous database keeps serving.
- Demographic answers are data, not code: every value that appears is kept as its own group.
  A blank answer becomes `{not_disclosed}`; an explicit `Prefer not to say` stays distinct, and
  so does `Not asked`. Non-binary and other genders are first-class groups. A blank
  organisational attribute (department, level, ...) becomes `{unknown}`.
- A `|` inside a category value is shown as `/` in group labels (the `|` joins intersectional
  groups such as `Woman|Black or African American`).
- Dates are ISO `YYYY-MM-DD` unless the mapping gives a `date_format`; booleans accept
  true/false, yes/no, y/n, t/f, 1/0.

## Using real exports unchanged: `mapping` in equity.yml

Keys are contract files without `.csv`. For each: `file` (the export's file name, relative to
the data folder), `date_format` (for all date columns of that file, strptime codes such as
`%m/%d/%Y`) and `columns`, mapping contract columns to the export:

```yaml
mapping:
  hr/employees:
    file: HRDataset_v14.csv          # one export can feed several contract files
    date_format: "%m/%d/%Y"
    columns:
      employee_id: EmpID                              # rename
      gender: {{column: Sex, values: {{F: Woman, M: Man}}}}  # value map (case-insensitive, trimmed)
      birth_year: {{column: DOB, date_format: "%m/%d/%y", part: year, two_digit_year: past}}
      termination_type:
        column: EmploymentStatus
        values: {{Voluntarily Terminated: voluntary, Terminated for Cause: involuntary, Active: ""}}
  hr/job_history:
    file: HRDataset_v14.csv
    columns:
      currency: {{value: USD}}                          # a constant for every row
```

A value mapped to `""` becomes blank. A mapping that names a column missing from the header
stops the build and lists the header. Columns that no mapping names are not read at all,
including blank or unnamed header cells (the index column pandas writes, `Unnamed: 0`): a file
whose header is `,Unnamed: 0,vendor_id,...` loads its mapped columns unchanged. `examples/huebner_hr_v14/equity.yml` is a
complete, commented example for a real public HR dataset; `examples/` has one per dataset.

### Several files for one contract file

`file` may be a list or a wildcard (`*`, `?`, `[...]`, matched in name order). The files are
stacked by column name, so their columns may come in any order; `rename` (for every file that
has the old name) or a per-file `rename` in the list gives drifting headers one name, and
`from_file_name` takes a column from each file's name (the first `(...)` group of a regular
expression, else the whole match), used like any other column:

```yaml
mapping:
  procurement/spend:
    file: payments/spend_*.csv                   # spend_2020.csv, spend_2021.csv, ...
    rename: {{"Amount USD": amount_usd}}           # 2021 renamed the column
    from_file_name: {{fiscal_year: '(\\d{{4}})'}}    # "2021" from spend_2021.csv
    columns:
      amount: amount_usd
      category: fiscal_year
  hr/job_history:
    file:
      - Employee_Salaries_-_2019.csv
      - {{file: Employee_Salaries_-_2023.csv, rename: {{Base_Salary: Base Salary}}}}
```

A mapped column must be in every file (after renames): a file without it stops the build,
naming that file and its header. Quarantined rows and errors name the file each row came from
and its own line. Every path, listed or matched, must stay inside the data folder (after
following symbolic links) or a folder listed under `source_dirs`; anything else is refused. Stacking is read by the duckdb engine.

### No id column; repeated rows

`{{generated: line}}` makes an id from the file and line (`Employee_Salaries_2022.csv:2`): the
same on every rebuild of the same file, and the same in every contract file fed from that
export, so `hr/employees` and `hr/job_history` read from one payroll link up. (It follows the
line: sorting the export differently gives different ids.)

A row that repeats an earlier row exactly (equal in every column the mapping reads; generated
ids are not compared) is quarantined with the reason `exact duplicate of line N`. Set
`duplicates` per mapping to `keep` (every row counts: a payroll without ids, where two people
can share department, grade and salary) or `error` (stop the build):

```yaml
mapping:
  hr/employees:
    file: Employee_Salaries_*.csv
    duplicates: keep
    columns:
      employee_id: {{generated: line}}
```

On the Spark engine an exact repeat stops the build unless `duplicates: keep`.

### Derived columns: `expr`

`{{expr: "..."}}` computes a contract column from the source's columns, in DuckDB's SQL
dialect. Allowed: this source's column names (double-quote names with spaces or dots:
`"yrs.since.phd"`), literals (`DATE '2020-06-30'`), arithmetic, comparisons, `AND/OR/NOT`,
`CASE`, `CAST` to plain types and the functions {functions}. Anything else (a subquery, another
table, `read_csv`, `getenv`, `current_date`) is refused with the mapping key named, before
anything is read.

```yaml
mapping:
  hr/job_history:
    columns:
      annual_base_salary: {{expr: "MonthlyIncome * 12"}}                  # monthly pay
      job_level: {{expr: "'L' || JobLevel"}}
  hr/employees:
    columns:
      # hired YearsAtCompany whole years before the 2020-06-30 snapshot
      hire_date: {{expr: "DATE '2020-06-30' - to_years(CAST(YearsAtCompany AS INTEGER))"}}
      termination_date: {{expr: "CASE WHEN Attrition = 'Yes' THEN DATE '2020-06-30' END"}}
```

Source columns are trimmed text (blank = NULL). A column used in arithmetic, compared with a
number or cast is converted first; a cell that does not convert gives the value
`#cannot read <column> as <type>: <cell>`, which a number or date column quarantines with its
file and line. A date result is written as `YYYY-MM-DD` (no `date_format` needed). Derived
columns are read by the duckdb engine.

### Columns the contract has no place for: `extra_columns`

A pay model may need to control for something the contract has no column for (years since a
PhD, a pay-scale step, a union code). `extra_columns` on the `hr/job_history` mapping brings
such columns in, mapped like contract columns (`column`, `values`, `expr`, `value`) with a
`type`: `number` (a cell that is not a number is quarantined with file, line and column) or
`label` (the default; a blank becomes `Unknown`). They are kept effective-dated with the job
record they come from, in the table `job_extra_columns`, and a pay-model factor in
`pay.legitimate_factors` can then name them (docs/metrics.md, `adjusted_pay_gap`):

```yaml
mapping:
  hr/job_history:
    file: Salaries.csv
    columns:
      job_level: rank
      department: discipline
    extra_columns:
      yrs_since_phd: {{column: yrs.since.phd, type: number}}
      yrs_service: {{column: yrs.service, type: number}}
      union: {{column: Union Code, values: {{N/A: ""}}}}        # a label
pay:
  legitimate_factors:
    - job_level                                   # categorical: a dummy per level
    - department
    - {{column: yrs_since_phd, type: numeric}}      # linear
    - {{column: union, type: categorical}}
```

A name is lower-case letters, digits and `_`, and may not be a column of an HR contract file
or of the pay population (`tenure_years`, `salary`, ...): a bad name, an unknown `type`,
`extra_columns` on another file, or a source column missing from the header stops the build
naming the mapping key. Extra columns are read by the duckdb engine (the Spark engine refuses
them) and are used only by the pay models; no dashboard breakdown uses them.

### A first draft: `equity map`

`equity map --data FOLDER` reads the CSV files inside FOLDER (never a file a symbolic link
takes outside it; at most the first {sample_rows} rows of each) and writes a draft
`FOLDER/equity.yml` for a person to review. It never overwrites a file: an existing
`equity.yml` is an error, and `--out PATH` writes the draft elsewhere (file names in it stay
relative to FOLDER). The draft lists, as comments:

- each file's encoding (UTF-8, with or without BOM), delimiter and rows read; the build reads
  comma-separated UTF-8 only, so a `;`-separated or non-UTF-8 file gets a `TODO` to re-save it;
- for each contract file it proposes, the export columns chosen (by header name and by the
  shape of the values: dates, numbers, small value sets) with their strptime `date_format`
  (`%m/%d/%Y` ...), and a `TODO` where a match is only likely, dates read two ways
  (05/06/2019), or a required column has no candidate (with an `expr` example when a header
  such as `YearsAtCompany` suggests one);
- value maps onto the project's labels for spellings of the same answer (`F`/`Female` ->
  `Woman`, `M` -> `Man`, `white` -> `White`; status words such as `Admitted` -> `hired`). Every
  other demographic answer (`Prefer not to say`, `Not disclosed`, `Non-binary` ...) is kept as
  given and listed;
- yearly files named alike (`Employee_Salaries_2019.csv` ...) as one wildcard source with
  `rename` for drifting headers and the year from the file name; HR files without hire or job
  dates read as snapshots (`snapshot` on the last day of each file's year, the job history
  dated the same; a `TODO` naming `snapshot` when no year is in the name), never a generated
  id in a date column; a `{{generated: line}}` id
  (with `duplicates: keep`) when no id column exists;
- under `hr/job_history`, commented out, an `extra_columns` entry of `type: number` for each
  numeric column of its file that nothing reads (not a column of whole numbers all different,
  an id, nor a count): `#   yrs_since_phd: {{column: yrs.since.phd, type: number}}`. Which
  are legitimate pay factors is a policy choice, so a person uncomments the ones
  `pay.legitimate_factors` names;
- at the end, every column no mapping reads, with its shape (the values only for small value
  sets, so names and ids are not copied), and counts such as `Freq` flagged as aggregated rows.

Header names and cells are treated as hostile: the YAML is written by a safe dumper (a value
with a line break or control character is one escaped, quoted line), comments escape every
non-printable character, and the text is read back and compared before it is written. The
draft loads with the config loader as written; once its `TODO`s are settled `equity build`
reads it.

For example, on a folder holding only `UCBAdmissions.csv` (24 rows of counts:
`rownames,Admit,Gender,Dept,Freq`), `equity map --data ucb` reports
`1 contract file(s) (recruiting/applications), 2 TODO decision(s), 1 note(s) on what was not
matched` and writes (comments shortened):

```yaml
# no stages file was found: a one-stage funnel (applied -> status)
recruiting:
  stage_order: [applied, hired]
mapping:
  recruiting/applications:
    file: UCBAdmissions.csv
    columns:
      # TODO application_id: a likely match (0.50): check that 'rownames' holds application_id
      application_id: rownames
      # TODO applied_date: required, and no column was found: map one, or derive it with expr
      #   or value (docs/data_contract.md)
      # applied_date:
      department: Dept
      gender: {{column: Gender, values: {{Male: Man, Female: Woman}}}}
      status: {{column: Admit, values: {{Admitted: hired}}}}     # Rejected is `rejected` as it is
# Not matched: what no mapping above reads (the build ignores it).
#   UCBAdmissions.csv
#     Freq: whole numbers 8 to 512 (a count? if each row stands for several applications, add
#       `weight: Freq` to recruiting/applications; docs/data_contract.md, Aggregated rows)
```

A person then decides what the file cannot say: the rows are counts (`weight: Freq`, below),
the applications date from 1973 (`applied_date: {{value: "1973-01-01"}}` with `as_of:
"1973-12-31"`), and `rownames` may stay the id. Each `examples/<dataset>/README.md` lists, under
"Starting from `equity map`", the edits that turn the draft for that real dataset into its
`equity.yml`; tests/test_example_map_drafts.py runs `equity map` on the raw folders and fails
when the draft and the example differ anywhere else.
"""
