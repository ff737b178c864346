-- One row per job record: the record is in force from valid_from to valid_to (inclusive),
-- i.e. until the day before the employee's next record ("latest row with effective_date <= D").
with job_history as (
    select * from stg_hr__job_history
),

spells as (
    select
        *,
        lead(effective_date) over (
            partition by employee_id order by effective_date
        ) as next_effective_date
    from job_history
)

-- the record's columns as stg_hr__job_history defines them, its dates renamed to the spell's
select
    employee_id,
    effective_date as valid_from,
    coalesce(next_effective_date - 1, date '9999-12-31') as valid_to,
    * exclude (employee_id, effective_date, next_effective_date)
from spells
