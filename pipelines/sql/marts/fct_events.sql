-- One row per policy change or other event, for markers on trend charts.
select event_date, label, description
from stg_reference__events
