-- A sender's confirmed delisting request is an engine event ('request'): until a moderator
-- decides it, the accounts created near the listing's reporters wait for the moderator on new
-- senders (README rule 4, a contested listing).
ALTER TABLE engine_event DROP CONSTRAINT engine_event_kind_check;
ALTER TABLE engine_event ADD CONSTRAINT engine_event_kind_check
    CHECK (kind IN ('join', 'report', 'trap', 'traffic', 'delist', 'pin', 'suspend', 'exclude', 'dismiss', 'request'));
