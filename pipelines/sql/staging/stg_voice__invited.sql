-- One row per survey per department: people invited.
with source as (
    select * from src_voice__invited
)

select
    survey_id,
    department,
    invited
from source
