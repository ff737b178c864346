-- One row per survey response (respondent): survey, response date and self-reported
-- attributes. Anonymous by design: there is no employee_id, so voice results are never
-- joined to HR records at person level (only aggregated tables are compared).
select
    response_id,
    survey_id,
    response_date,
    gender,
    race_ethnicity,
    disability,
    lgbtq,
    department,
    job_level,
    tenure_band
from int_survey_responses__checked
