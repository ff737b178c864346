-- One row per survey per department: people invited (the response-rate denominator).
select
    survey_id,
    department,
    invited
from stg_voice__invited
