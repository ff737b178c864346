-- One row per Tier 2 report line from a prime supplier, in the report's currency.
-- An indirect line cannot be allocated without the prime's total revenue: rather than drop
-- it, the build stops naming the prime, period and certification of the first such line.
with tier2 as (
    select * from stg_procurement__tier2_spend
),

suppliers as (
    select * from dim_suppliers
),

unallocatable as (
    select
        'procurement/tier2_spend.csv, column ''prime_total_revenue'': indirect Tier 2 spend of prime '
        || prime_supplier_id || ' for ' || period_start || ' to ' || period_end || ' (' || certification
        || ') needs the prime''s total revenue to be allocated; fill it in or mark the line direct'
        as message
    from tier2
    where attribution = 'indirect' and prime_total_revenue is null
    order by prime_supplier_id, period_start, certification
    limit 1
)

select
    tier2.prime_supplier_id,
    coalesce(suppliers.supplier_name, tier2.prime_supplier_id) as prime_supplier_name,
    coalesce(suppliers.ultimate_parent_id, tier2.prime_supplier_id) as prime_parent_id,
    tier2.period_start,
    tier2.period_end,
    tier2.certification,
    tier2.amount,
    tier2.currency,
    tier2.attribution,
    tier2.prime_total_revenue
from tier2
left join suppliers on tier2.prime_supplier_id = suppliers.supplier_id
union all
select
    error(message), null, null, null, null, null, null, null, null, null
from unallocatable
