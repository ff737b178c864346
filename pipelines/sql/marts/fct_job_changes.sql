-- One row per job record with the job level of the record before it (null for the first
-- record): promotions are read from here as change_reason 'promotion' or a higher level.
with job_history as (
    select * from stg_hr__job_history
),

ordered as (
    select
        employee_id,
        effective_date,
        change_reason,
        job_level,
        lag(job_level) over (
            partition by employee_id order by effective_date
        ) as previous_job_level,
        row_number() over (
            partition by employee_id order by effective_date
        ) as record_number
    from job_history
)

select * from ordered
