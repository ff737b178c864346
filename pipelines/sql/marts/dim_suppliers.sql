-- One row per supplier in the master, with its ultimate parent (the group it rolls up to).
-- Certifications are the holder's own: nothing here passes a certification up or down a group.
with suppliers as (
    select * from stg_procurement__suppliers
),

parents as (
    select * from int_procurement__supplier_parents
),

params as (
    select * from build_params
)

select
    suppliers.supplier_id,
    suppliers.supplier_name,
    suppliers.parent_supplier_id,
    parents.ultimate_parent_id,
    coalesce(top.supplier_name, parents.ultimate_parent_id) as ultimate_parent_name,
    top.supplier_id is not null as ultimate_parent_in_master,
    parents.depth as group_depth,
    coalesce(suppliers.country, params.unknown_label) as supplier_country
from suppliers
inner join parents on suppliers.supplier_id = parents.supplier_id
left join suppliers as top on parents.ultimate_parent_id = top.supplier_id
cross join params
