-- One row per survey (wave): first and last response date and number of responses. Voice
-- metrics use waves as their periods (period_start = first, period_end = last response date,
-- period label = survey_id).
select
    survey_id,
    min(response_date) as wave_start,
    max(response_date) as wave_end,
    count(*) as responses
from fct_survey_respondents
group by survey_id
