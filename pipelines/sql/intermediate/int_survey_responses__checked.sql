-- One row per survey response (one respondent in one survey) with its self-reported attributes.
-- Every row of a response must agree on survey and attributes (only item and score vary): if
-- they do not, nobody can tell which group the person belongs to, so the build stops naming
-- the response and the column. The response date is the earliest survey_date of its rows
-- (a survey can be answered over several days).
with answers as (
    select * from stg_voice__survey_responses
),

per_response as (
    select
        response_id,
        min(survey_id) as survey_id,
        min(survey_date) as response_date,
        count(distinct survey_id) as survey_ids,
        min(gender) as gender,
        count(distinct gender) as genders,
        min(race_ethnicity) as race_ethnicity,
        count(distinct race_ethnicity) as race_ethnicities,
        min(disability) as disability,
        count(distinct disability) as disabilities,
        min(lgbtq) as lgbtq,
        count(distinct lgbtq) as lgbtqs,
        min(department) as department,
        count(distinct department) as departments,
        min(job_level) as job_level,
        count(distinct job_level) as job_levels,
        min(tenure_band) as tenure_band,
        count(distinct tenure_band) as tenure_bands
    from answers
    group by response_id
),

-- the first attribute column whose values disagree within the response (null when all agree):
-- one check names whichever column it is, instead of a copy of the check per column
conflicts as (
    select
        *,
        case
            when genders > 1 then 'gender'
            when race_ethnicities > 1 then 'race_ethnicity'
            when disabilities > 1 then 'disability'
            when lgbtqs > 1 then 'lgbtq'
            when departments > 1 then 'department'
            when job_levels > 1 then 'job_level'
            when tenure_bands > 1 then 'tenure_band'
        end as conflicting_column
    from per_response
)

select
    response_id,
    case when survey_ids > 1 then error(
        'voice/survey_responses.csv, column ''survey_id'': response_id ''' || response_id
        || ''' has rows in different surveys; a response belongs to one survey'
    ) else survey_id end as survey_id,
    response_date,
    case when conflicting_column is not null then error(
        'voice/survey_responses.csv, column ''' || conflicting_column || ''': response_id ''' || response_id
        || ''' has different values on its rows; every row of a response describes the same person'
    ) else gender end as gender,
    race_ethnicity,
    disability,
    lgbtq,
    department,
    job_level,
    tenure_band
from conflicts
