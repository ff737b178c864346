-- One row per employee per effective date: the job record in force from that date.
with source as (
    select * from src_hr__job_history
),

renamed as (
    select
        employee_id,
        effective_date,
        department,
        job_family,
        job_level,
        location,
        country,
        employment_type,
        fte,
        annual_base_salary,
        currency,
        performance_rating,
        lower(change_reason) as change_reason
    from source
)

select * from renamed
