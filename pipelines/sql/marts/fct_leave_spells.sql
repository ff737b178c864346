-- One row per leave spell, with the employee's demographics, employment dates and the job
-- held on the leave start date (Unknown job attributes when no job record covers that day,
-- so a leave is never dropped for lack of a matching job spell).
with leave as (
    select * from stg_hr__leave
),

employees as (
    select * from stg_hr__employees
),

spells as (
    select * from fct_employment_spells
),

params as (
    select * from build_params
)

select
    leave.employee_id,
    leave.leave_type,
    leave.start_date,
    leave.end_date,
    employees.hire_date,
    employees.termination_date,
    employees.gender,
    employees.race_ethnicity,
    employees.disability,
    employees.veteran,
    employees.lgbtq,
    employees.birth_year,
    coalesce(spells.department, params.unknown_label) as department,
    coalesce(spells.job_family, params.unknown_label) as job_family,
    coalesce(spells.job_level, params.unknown_label) as job_level,
    coalesce(spells.location, params.unknown_label) as location
from leave
inner join employees on leave.employee_id = employees.employee_id
cross join params
left join spells
    on leave.employee_id = spells.employee_id
    and spells.valid_from <= leave.start_date
    and leave.start_date <= spells.valid_to
