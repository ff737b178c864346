-- One row per policy change or other event drawn on trend charts.
with source as (
    select * from src_reference__events
)

select
    event_date,
    label,
    description,
    family
from source
