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
)

select
    response_id,
    case when survey_ids > 1 then error(
        'voice/survey_responses.csv, column ''survey_id'': response_id ''' || response_id
        || ''' has rows in different surveys; a response belongs to one survey'
    ) else survey_id end as survey_id,
    response_date,
    case when genders > 1 then error(
        'voice/survey_responses.csv, column ''gender'': response_id ''' || response_id
        || ''' has different values on its rows; every row of a response describes the same person'
    ) else gender end as gender,
    case when race_ethnicities > 1 then error(
        'voice/survey_responses.csv, column ''race_ethnicity'': response_id ''' || response_id
        || ''' has different values on its rows; every row of a response describes the same person'
    ) else race_ethnicity end as race_ethnicity,
    case when disabilities > 1 then error(
        'voice/survey_responses.csv, column ''disability'': response_id ''' || response_id
        || ''' has different values on its rows; every row of a response describes the same person'
    ) else disability end as disability,
    case when lgbtqs > 1 then error(
        'voice/survey_responses.csv, column ''lgbtq'': response_id ''' || response_id
        || ''' has different values on its rows; every row of a response describes the same person'
    ) else lgbtq end as lgbtq,
    case when departments > 1 then error(
        'voice/survey_responses.csv, column ''department'': response_id ''' || response_id
        || ''' has different values on its rows; every row of a response describes the same person'
    ) else department end as department,
    case when job_levels > 1 then error(
        'voice/survey_responses.csv, column ''job_level'': response_id ''' || response_id
        || ''' has different values on its rows; every row of a response describes the same person'
    ) else job_level end as job_level,
    case when tenure_bands > 1 then error(
        'voice/survey_responses.csv, column ''tenure_band'': response_id ''' || response_id
        || ''' has different values on its rows; every row of a response describes the same person'
    ) else tenure_band end as tenure_band
from per_response
