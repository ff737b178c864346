-- One row per application: the candidate's self-identified answers, the role applied for,
-- the source, the status on the as-of date and how many stages were recorded. The furthest
-- stage in the configured stage order is resolved when a metric runs
-- (pipelines/families/hiring/funnel.py), because the order is a setting SQL models cannot read.
with applications as (
    select * from stg_recruiting__applications
),

stages as (
    select * from stg_recruiting__application_stages
),

recorded as (
    select
        application_id,
        count(*) as stages_recorded,
        min(entered_date) as first_entered_date,
        max(entered_date) as last_entered_date
    from stages
    group by application_id
)

select
    applications.application_id,
    applications.candidate_id,
    applications.requisition_id,
    applications.applied_date,
    applications.source,
    applications.department,
    applications.job_level,
    applications.gender,
    applications.race_ethnicity,
    applications.disability,
    applications.veteran,
    applications.status,
    applications.status = 'hired' as is_hired,
    applications.status = 'withdrawn' as is_withdrawn,
    applications.status = 'in_progress' as is_in_progress,
    coalesce(recorded.stages_recorded, 0) as stages_recorded,
    recorded.first_entered_date,
    recorded.last_entered_date
from applications
left join recorded on applications.application_id = recorded.application_id
