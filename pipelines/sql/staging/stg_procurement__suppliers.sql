-- One row per supplier.
with source as (
    select * from src_procurement__suppliers
)

select
    supplier_id,
    supplier_name,
    parent_supplier_id,
    country
from source
