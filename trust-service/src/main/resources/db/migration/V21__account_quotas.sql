-- What each account used of its daily quotas (reports, raw messages and their bytes) per UTC day.
-- Kept in the database, not only in memory, so that a restart or a writer change does not hand
-- every account a fresh day (member/DailyCounters writes it behind, every few seconds).
CREATE TABLE account_quota (
    member_id  bigint      NOT NULL,
    day        date        NOT NULL,
    kind       varchar(16) NOT NULL,
    amount     bigint      NOT NULL,
    PRIMARY KEY (member_id, day, kind)
);
