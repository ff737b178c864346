-- One row per employee: self-identified demographics and employment dates.
-- Demographics were filled with 'Not disclosed' when blank (contract type `category`).
with source as (
    select * from src_hr__employees
),

renamed as (
    select
        employee_id,
        gender,
        race_ethnicity,
        birth_year,
        disability,
        veteran,
        lgbtq,
        hire_date,
        termination_date,
        termination_type,
        termination_reason,
        regretted as is_regretted
    from source
)

select * from renamed
