-- One row per currency per month: units of the reporting currency per one unit of `currency`.
with rates as (
    select * from stg_reference__fx_rates
)

select
    currency,
    month_start,
    rate_to_reporting
from rates
