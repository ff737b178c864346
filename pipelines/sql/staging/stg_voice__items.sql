-- One row per survey item.
with source as (
    select * from src_voice__items
)

select
    item_id,
    text as item_text,
    lower(construct) as construct,
    reverse_scored as is_reverse_scored
from source
