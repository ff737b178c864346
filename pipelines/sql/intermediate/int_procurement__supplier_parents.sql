-- One row per supplier: its ultimate parent, found by walking parent_supplier_id upwards.
-- A parent that is not in the supplier master ends the walk (it is the ultimate parent, by
-- id only). A chain that loops has no ultimate parent: that is a data error, and the build
-- stops with a message naming the suppliers on the loop (error() raises while the table is
-- created, so a looping master can never produce a partial roll-up).
with recursive suppliers as (
    select supplier_id, parent_supplier_id from stg_procurement__suppliers
),

walk (supplier_id, current_id, path) as (
    select supplier_id, supplier_id, [supplier_id]
    from suppliers
    union all
    select walk.supplier_id, up.parent_supplier_id, list_append(walk.path, up.parent_supplier_id)
    from walk
    inner join suppliers as up on up.supplier_id = walk.current_id
    where up.parent_supplier_id is not null
        and not list_contains(walk.path, up.parent_supplier_id)
),

walk_ends as (
    select
        walk.supplier_id,
        walk.current_id,
        walk.path,
        up.parent_supplier_id as next_id
    from walk
    left join suppliers as up on up.supplier_id = walk.current_id
    where up.parent_supplier_id is null or list_contains(walk.path, up.parent_supplier_id)
),

roots as (
    select
        supplier_id,
        current_id as ultimate_parent_id,
        len(path) - 1 as depth
    from walk_ends
    where next_id is null
),

loops as (
    -- the loop part of the path, rotated to start at its smallest id so each loop is
    -- reported once whichever member the walk started from
    select list_slice(path, list_position(path, next_id), len(path)) as members
    from walk_ends
    where next_id is not null
),

loop_text as (
    select
        list_concat(
            list_slice(members, list_position(members, list_min(members)), len(members)),
            list_slice(members, 1, list_position(members, list_min(members)) - 1)
        ) as rotated
    from loops
),

loop_error as (
    select string_agg(distinct array_to_string(list_append(rotated, rotated[1]), ' -> '), '; ') as message
    from loop_text
    having count(*) > 0
)

select supplier_id, ultimate_parent_id, depth
from roots
union all
select
    error(
        'procurement/suppliers.csv, column ''parent_supplier_id'': parent links form a loop, '
        || 'so these suppliers have no ultimate parent: ' || message
    ),
    null,
    null
from loop_error
