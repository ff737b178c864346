-- One row per application with the candidate's self-identified demographics.
with source as (
    select * from src_recruiting__applications
)

select
    application_id,
    candidate_id,
    requisition_id,
    applied_date,
    source,
    department,
    job_level,
    gender,
    race_ethnicity,
    disability,
    veteran,
    status
from source
