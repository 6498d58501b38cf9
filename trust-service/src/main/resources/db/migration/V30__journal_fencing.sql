-- Fencing (issue 14): the journal writer proves in every batch transaction that it still holds
-- the writer role. Taking the role bumps the epoch; a batch whose epoch is no longer current
-- touches no row and is rolled back, so a writer that lost its lock (a database restart ends its
-- lock session) can never commit next to the one that took over.
INSERT INTO journal_writer (id, url, instance, since) VALUES (1, NULL, 'none', now()) ON CONFLICT (id) DO NOTHING;
ALTER TABLE journal_writer ADD COLUMN epoch bigint NOT NULL DEFAULT 0;
-- The writer's clock (epoch milliseconds) as of its last committed batch, ticks included: the
-- decisions up to this time are recorded, so a replay moves the engine to it without recording
-- them again, and a standby never decides an expiry the writer has not recorded.
ALTER TABLE journal_writer ADD COLUMN clock bigint NOT NULL DEFAULT 0;

-- Report ids come from the database, not from a writer's memory: two writers can never hand out
-- the same id, whatever happens to the lock.
CREATE SEQUENCE report_id_seq;
SELECT setval('report_id_seq', coalesce((SELECT max(id) FROM report), 0) + 1, false);

