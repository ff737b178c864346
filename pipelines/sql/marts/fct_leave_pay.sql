-- One row per leave spell with the pay received during it (full, reduced, none or null when the
-- export does not say). Kept apart from fct_leave_spells so that the statutory packs can ask
-- "was this person on reduced-pay leave during the pay period" without the job attributes.
with leave as (
    select * from stg_hr__leave
)

select
    employee_id,
    leave_type,
    start_date,
    end_date,
    pay_during_leave
from leave
