-- One row per survey item: its text, construct and whether it is reverse-scored.
select
    item_id,
    item_text,
    construct,
    is_reverse_scored
from stg_voice__items
