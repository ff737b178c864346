-- One row per currency per month: units of reporting currency per unit of `currency`.
with source as (
    select * from src_reference__fx_rates
)

select
    currency,
    month as month_start,
    rate_to_reporting
from source
