-- A moderator may exclude one innocent address from the block listing around it (issue 16):
-- the grant is an engine event ('exclude'), the request a moderation item ('exclusion-request'),
-- and the listing history records 'excluded' and 'exclusion_ended' changes.
ALTER TABLE engine_event DROP CONSTRAINT engine_event_kind_check;
ALTER TABLE engine_event ADD CONSTRAINT engine_event_kind_check
    CHECK (kind IN ('join', 'report', 'trap', 'traffic', 'delist', 'pin', 'suspend', 'exclude'));

ALTER TABLE moderation_item DROP CONSTRAINT moderation_item_kind_check;
ALTER TABLE moderation_item ADD CONSTRAINT moderation_item_kind_check
    CHECK (kind IN ('big-sender-hold', 'delisting-request', 'dispute', 'exclusion-request'));

ALTER TABLE listing_change ALTER COLUMN change TYPE varchar(16);
