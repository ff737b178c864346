-- One row per anonymous response per item (no person identifier exists by design).
with source as (
    select * from src_voice__survey_responses
)

select
    response_id,
    survey_id,
    survey_date,
    item_id,
    score,
    gender,
    race_ethnicity,
    disability,
    lgbtq,
    department,
    job_level,
    tenure_band
from source
