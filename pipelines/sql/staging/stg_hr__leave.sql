-- One row per leave spell; end_date is null while the leave is ongoing.
with source as (
    select * from src_hr__leave
)

select
    employee_id,
    lower(leave_type) as leave_type,
    start_date,
    end_date,
    pay_during_leave
from source
