-- One row per employee per pay period (optional payroll detail for the statutory rule packs).
with source as (
    select * from src_hr__pay_periods
)

select
    employee_id,
    period_start,
    period_end,
    basic_pay,
    allowances,
    shift_premium,
    piecework_pay,
    leave_pay,
    hours_worked,
    weekly_hours,
    special_salary,
    overtime_pay,
    overtime_hours,
    bonus_pay,
    currency,
    job_category,
    job_coefficient
from source
