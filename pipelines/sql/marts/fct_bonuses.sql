-- One row per bonus payment, in its original currency, with the month whose FX rate converts it
-- (the build has already checked that every non-reporting currency has a rate for that month).
with bonuses as (
    select * from stg_hr__bonuses
)

select
    employee_id,
    paid_date,
    date_trunc('month', paid_date) as paid_month,
    amount,
    currency,
    bonus_type
from bonuses
