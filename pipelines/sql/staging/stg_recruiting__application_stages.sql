-- One row per application per stage entered.
with source as (
    select * from src_recruiting__application_stages
)

select
    application_id,
    lower(stage) as stage,
    entered_date
from source
