-- One row per supplier certification with its validity window (valid_to null = no expiry).
with source as (
    select * from src_procurement__certifications
)

select
    supplier_id,
    upper(certification) as certification,
    certifying_body,
    valid_from,
    valid_to
from source
