-- /stats (issue 14): its queries by time read these indexes instead of scanning the two largest tables.
-- reports per day over 30 days (counted reports only)
CREATE INDEX report_created_counted_idx ON report (created_at) WHERE outcome <> 'duplicate';
-- lookups in the last 24 hours: an index-only scan of the traffic rows
CREATE INDEX engine_event_traffic_at_idx ON engine_event (at) INCLUDE (amount) WHERE kind = 'traffic';
