-- The weekly impact mail goes out once per member and ISO week, whatever the number of instances
-- or restarts: a sender first inserts its (member, week) row; only the insert that wins sends.
CREATE TABLE weekly_mail_sent (
    member_id  bigint      NOT NULL REFERENCES member (id),
    week       date        NOT NULL,             -- the Monday (UTC) of the week
    claimed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (member_id, week)
);
