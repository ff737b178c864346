-- One row per bonus payment, in its original currency.
with source as (
    select * from src_hr__bonuses
)

select
    employee_id,
    paid_date,
    amount,
    currency,
    bonus_type
from source
