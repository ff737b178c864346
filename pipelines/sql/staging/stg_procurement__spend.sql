-- One row per AP transaction, original currency; credits are negative.
with source as (
    select * from src_procurement__spend
)

select
    transaction_id,
    supplier_id,
    transaction_date,
    amount,
    currency,
    category,
    business_unit,
    addressable as is_addressable
from source
