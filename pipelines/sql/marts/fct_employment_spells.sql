-- One row per employee per job spell while employed, [valid_from, valid_to] inclusive, with
-- the employee's demographics: "who was active on day D, in which job" is one range lookup.
-- Employment before an employee's first job record (or with no record) is kept as a spell
-- with unknown job attributes, so nobody employed is ever missing from a headcount.
with employees as (
    select * from stg_hr__employees
),

params as (
    select * from build_params
),

recorded as (
    select * from int_job_history__spells
),

first_records as (
    select employee_id, min(valid_from) as first_valid_from
    from recorded
    group by employee_id
),

unrecorded as (
    select
        employees.employee_id,
        employees.hire_date as valid_from,
        coalesce(first_records.first_valid_from - 1, date '9999-12-31') as valid_to,
        params.unknown_label as department,
        params.unknown_label as job_family,
        params.unknown_label as job_level,
        params.unknown_label as location,
        params.unknown_label as country,
        params.unknown_label as employment_type,
        cast(null as double) as fte,
        cast(null as decimal(18, 2)) as annual_base_salary,
        cast(null as varchar) as currency,
        params.unknown_label as performance_rating,
        'unrecorded' as change_reason
    from employees
    cross join params
    left join first_records on employees.employee_id = first_records.employee_id
    where first_records.first_valid_from is null
        or first_records.first_valid_from > employees.hire_date
),

all_spells as (
    select * from recorded
    union all
    select * from unrecorded
),

clipped as (
    select
        all_spells.employee_id,
        greatest(all_spells.valid_from, employees.hire_date) as valid_from,
        least(
            all_spells.valid_to,
            coalesce(employees.termination_date, date '9999-12-31')
        ) as valid_to,
        all_spells.department,
        all_spells.job_family,
        all_spells.job_level,
        all_spells.location,
        all_spells.country,
        all_spells.employment_type,
        all_spells.fte,
        all_spells.annual_base_salary,
        all_spells.currency,
        all_spells.performance_rating,
        all_spells.change_reason,
        employees.gender,
        employees.race_ethnicity,
        employees.disability,
        employees.veteran,
        employees.lgbtq,
        employees.birth_year,
        employees.hire_date,
        employees.termination_date
    from all_spells
    inner join employees on all_spells.employee_id = employees.employee_id
)

select * from clipped
where valid_from <= valid_to
