-- One row per response per item: the raw 1-5 score (NULL = skipped) with the item's
-- construct and direction. Reverse-scored items are flipped and favourability is decided in
-- the metric functions, from the `voice` settings (scale, favourable_from).
with answers as (
    select * from stg_voice__survey_responses
),

items as (
    select * from stg_voice__items
)

select
    answers.response_id,
    answers.survey_id,
    answers.item_id,
    items.construct,
    items.is_reverse_scored,
    answers.score
from answers
inner join items on answers.item_id = items.item_id
