-- One row per employee per pay period, in its original currency: ordinary pay as the UK
-- regulations define it (reg. 3: basic pay, allowances, shift premium, piecework and pay for
-- leave; overtime and bonus kept apart), the period's length in days, and the month whose FX
-- rate converts it (the build has checked every non-reporting currency has a rate for it).
with periods as (
    select * from stg_hr__pay_periods
)

select
    employee_id,
    period_start,
    period_end,
    period_end - period_start + 1 as period_days,
    date_trunc('month', period_end) as pay_month,
    basic_pay,
    coalesce(basic_pay, 0) + coalesce(allowances, 0) + coalesce(shift_premium, 0)
        + coalesce(piecework_pay, 0) + coalesce(leave_pay, 0) as ordinary_pay,
    hours_worked,
    weekly_hours,
    special_salary,
    coalesce(overtime_pay, 0) as overtime_pay,
    coalesce(overtime_hours, 0) as overtime_hours,
    coalesce(bonus_pay, 0) as bonus_pay,
    currency,
    job_category,
    job_coefficient
from periods
