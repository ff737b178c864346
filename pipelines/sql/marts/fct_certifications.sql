-- One row per certification validity window of a supplier (valid_to null = no expiry
-- recorded). Whether a window counts on a date (grace_days) and which certifications are
-- diverse are settings, applied when a metric is computed.
with certifications as (
    select * from stg_procurement__certifications
),

suppliers as (
    select * from dim_suppliers
)

select
    certifications.supplier_id,
    coalesce(suppliers.supplier_name, certifications.supplier_id) as supplier_name,
    certifications.certification,
    certifications.certifying_body,
    certifications.valid_from,
    certifications.valid_to
from certifications
left join suppliers on certifications.supplier_id = suppliers.supplier_id
