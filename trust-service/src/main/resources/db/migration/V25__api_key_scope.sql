-- Scoped machine keys (issue 12): an administrator makes a key that works on one machine route
-- only (traffic from standalone DNS responders, the intake gateway, the operator's trap feed).
-- NULL = a full member key, as before.
ALTER TABLE api_key ADD COLUMN scope varchar(16)
    CHECK (scope IS NULL OR scope IN ('traffic', 'intake', 'trap-feed'));
