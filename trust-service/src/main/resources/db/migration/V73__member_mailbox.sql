-- One account per mailbox. email stays as the member typed it (lower-cased): login and password
-- reset look it up so. email_canonical is its mailbox (net.trustbl.common.Mailboxes.canonical:
-- no "+tag", no dots in a Gmail local part, googlemail.com = gmail.com); registration refuses a
-- mailbox that already has an account, as it refuses a duplicate email.
--
-- Existing duplicates: a database from before this migration may already hold several accounts
-- of one mailbox (me+1@…, m.e@gmail.com). They all keep their rows and their canonical mailbox
-- (nothing is guessed about which one is the real one, and no login breaks), so the index is a
-- plain one, not a unique one: a unique index would make this migration fail on them. The
-- registration transaction takes pg_advisory_xact_lock on the mailbox before its existence check
-- (MemberService.createMember), so two registrations of one mailbox in parallel cannot both pass.
-- Operators find the old duplicates with
--   SELECT email_canonical, array_agg(email ORDER BY id) FROM member
--   GROUP BY email_canonical HAVING count(*) > 1;
--
-- The service computes the column in Java; this function is the same rule in SQL, for the
-- backfill below and for such queries (OneAccountPerMailboxTest checks that the two agree).
CREATE FUNCTION mailbox_canonical(address text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT CASE
               WHEN local IS NULL OR local = '' THEN e
               WHEN domain IN ('gmail.com', 'googlemail.com') THEN regexp_replace(tagless, '\.', '', 'g') || '@gmail.com'
               ELSE tagless || '@' || domain
           END
    FROM (SELECT e, local, domain, regexp_replace(local, '^([^+]+)\+.*$', '\1') AS tagless
          FROM (SELECT e, substring(e FROM '^(.*)@[^@]*$') AS local, substring(e FROM '@([^@]*)$') AS domain
                FROM (SELECT lower(btrim(address)) AS e) AS lowered) AS split) AS parts
$$;

ALTER TABLE member ADD COLUMN email_canonical varchar(254);
UPDATE member SET email_canonical = mailbox_canonical(email);
ALTER TABLE member ALTER COLUMN email_canonical SET NOT NULL;
CREATE INDEX member_email_canonical_idx ON member (email_canonical);
