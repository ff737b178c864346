-- One row per application per stage entered, with the entry date, the days since the
-- application and the application's candidate answers, role, source and status, so per-stage
-- breakdowns need no join. Whether it went on to the next stage depends on the configured
-- stage order and is worked out when a metric runs (pipelines/families/hiring/funnel.py).
with stages as (
    select * from stg_recruiting__application_stages
),

applications as (
    select * from stg_recruiting__applications
)

select
    stages.application_id,
    stages.stage,
    stages.entered_date,
    stages.entered_date - applications.applied_date as days_since_applied,
    applications.applied_date,
    applications.status,
    applications.source,
    applications.department,
    applications.job_level,
    applications.gender,
    applications.race_ethnicity,
    applications.disability,
    applications.veteran
from stages
inner join applications on stages.application_id = applications.application_id
