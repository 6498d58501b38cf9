-- A moderator turning down an engine hold is its own engine event ('dismiss'): a hold listed
-- nothing, so it strikes nobody (an upheld delisting request, 'delist', strikes the reporters).
ALTER TABLE engine_event DROP CONSTRAINT engine_event_kind_check;
ALTER TABLE engine_event ADD CONSTRAINT engine_event_kind_check
    CHECK (kind IN ('join', 'report', 'trap', 'traffic', 'delist', 'pin', 'suspend', 'exclude', 'dismiss'));
