-- One row per survey response (one respondent in one survey) with its self-reported attributes.
-- Every row of a response must agree on survey and attributes (only item and score vary): if
-- they do not, nobody can tell which group the person belongs to, so the build stops naming
-- the response and the column. The response date is the earliest survey_date of its rows
-- (a survey can be answered over several days).
with answers as (
    select * from stg_voice__survey_responses
),

-- the response's value of each column: its rows agree on it, or `conflicts` stops the build
per_response as (
    select
        response_id,
        min(survey_id) as survey_id,
        min(survey_date) as response_date,
        min(gender) as gender,
        min(race_ethnicity) as race_ethnicity,
        min(disability) as disability,
        min(lgbtq) as lgbtq,
        min(department) as department,
        min(job_level) as job_level,
        min(tenure_band) as tenure_band
    from answers
    group by response_id
),

-- a column in which a row of the response holds another value than the response's (null when
-- every row agrees; a blank cell contradicts nothing): one check names whichever column it is,
-- instead of a copy of the check per column
conflicts as (
    select
        answers.response_id,
        min(
            case
                when answers.survey_id <> per_response.survey_id then 'survey_id'
                when answers.gender <> per_response.gender then 'gender'
                when answers.race_ethnicity <> per_response.race_ethnicity then 'race_ethnicity'
                when answers.disability <> per_response.disability then 'disability'
                when answers.lgbtq <> per_response.lgbtq then 'lgbtq'
                when answers.department <> per_response.department then 'department'
                when answers.job_level <> per_response.job_level then 'job_level'
                when answers.tenure_band <> per_response.tenure_band then 'tenure_band'
            end
        ) as conflicting_column
    from answers
    inner join per_response on answers.response_id = per_response.response_id
    group by answers.response_id
),

checked as (
    select
        per_response.*,
        conflicts.conflicting_column
    from per_response
    inner join conflicts on per_response.response_id = conflicts.response_id
)

select
    case
        when conflicting_column = 'survey_id' then error(
            'voice/survey_responses.csv, column ''survey_id'': response_id ''' || response_id
            || ''' has rows in different surveys; a response belongs to one survey'
        )
        when conflicting_column is not null then error(
            'voice/survey_responses.csv, column ''' || conflicting_column || ''': response_id ''' || response_id
            || ''' has different values on its rows; every row of a response describes the same person'
        )
        else response_id
    end as response_id,
    * exclude (response_id, conflicting_column)
from checked
