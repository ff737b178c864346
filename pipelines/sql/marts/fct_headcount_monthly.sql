-- One row per employee per month end on which they were employed, with the job held that
-- day and their demographics: average monthly headcount (turnover's denominator) becomes a
-- plain equi-join instead of a range join per query.
with month_ends as (
    select * from int_calendar__month_ends
),

spells as (
    select * from fct_employment_spells
)

select
    month_ends.month_end,
    spells.employee_id,
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
from month_ends
inner join spells
    on spells.valid_from <= month_ends.month_end
    and month_ends.month_end <= spells.valid_to
