-- One row per survey response (respondent): survey, response date and self-reported
-- attributes, as int_survey_responses__checked checked them. Anonymous by design: there is no
-- employee_id, so voice results are never joined to HR records at person level (only
-- aggregated tables are compared).
select * from int_survey_responses__checked
