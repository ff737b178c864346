-- One row per month end from the start of the history window to the as-of date.
with params as (
    select * from build_params
),

months as (
    select unnest(generate_series(
        date_trunc('month', params.history_start),
        date_trunc('month', params.as_of),
        interval 1 month
    )) as month_start
    from params
)

select cast(last_day(month_start) as date) as month_end
from months
where last_day(month_start) <= (select as_of from params)
