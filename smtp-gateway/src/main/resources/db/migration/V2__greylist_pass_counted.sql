-- When a passed triplet last counted towards its client's auto-allow passes: at most once per
-- retry window, so repeating one passed triplet (RCPT after RCPT) does not auto-allow its /24.
ALTER TABLE greylist_triplet ADD COLUMN counted_at timestamptz;
