-- One row per hire, with the job the person was hired into and their demographics.
with spells as (
    select * from fct_employment_spells
)

select
    employee_id,
    hire_date as event_date,
    department,
    job_family,
    job_level,
    location,
    gender,
    race_ethnicity,
    disability,
    veteran,
    lgbtq,
    birth_year
from spells
where valid_from <= hire_date and hire_date <= valid_to
