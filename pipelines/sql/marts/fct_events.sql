-- One row per policy change or other event, for markers on trend charts.
-- family: the metric family whose charts draw it (NULL = every family's).
select event_date, label, description, family
from stg_reference__events
