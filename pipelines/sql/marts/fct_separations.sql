-- One row per separation, with the job held on the last day of employment.
with employees as (
    select * from stg_hr__employees
),

spells as (
    select * from fct_employment_spells
)

select
    spells.employee_id,
    employees.termination_date as event_date,
    employees.termination_type,
    employees.termination_reason,
    employees.is_regretted,
    spells.department,
    spells.job_family,
    spells.job_level,
    spells.location,
    spells.gender,
    spells.race_ethnicity,
    spells.disability,
    spells.veteran,
    spells.lgbtq,
    spells.birth_year
from spells
inner join employees on spells.employee_id = employees.employee_id
where employees.termination_date is not null
    and spells.valid_from <= employees.termination_date
    and employees.termination_date <= spells.valid_to
