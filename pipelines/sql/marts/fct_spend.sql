-- One row per accounts-payable transaction, in its original currency (credits negative),
-- with the supplier's ultimate parent and country. Conversion to the reporting currency and
-- the certifications held on the transaction date are applied when a metric is computed,
-- because they depend on settings (FX availability, grace_days, the diverse list).
with spend as (
    select * from stg_procurement__spend
),

suppliers as (
    select * from dim_suppliers
),

params as (
    select * from build_params
)

select
    spend.transaction_id,
    spend.supplier_id,
    coalesce(suppliers.ultimate_parent_id, spend.supplier_id) as ultimate_parent_id,
    spend.transaction_date,
    spend.amount,
    spend.currency,
    spend.category,
    spend.business_unit,
    coalesce(spend.is_addressable, true) as is_addressable,
    coalesce(suppliers.supplier_country, params.unknown_label) as supplier_country
from spend
left join suppliers on spend.supplier_id = suppliers.supplier_id
cross join params
