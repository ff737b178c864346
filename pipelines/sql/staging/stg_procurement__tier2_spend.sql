-- One row per Tier 2 report line from a prime supplier.
with source as (
    select * from src_procurement__tier2_spend
)

select
    prime_supplier_id,
    period_start,
    period_end,
    upper(certification) as certification,
    amount,
    currency,
    attribution,
    prime_total_revenue
from source
