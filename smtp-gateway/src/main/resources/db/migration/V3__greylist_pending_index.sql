-- Triplets not yet passed, per client network: before adding another one the greylist counts them
-- (up to gateway.greylist.max-pending-per-network, so the count reads at most that many entries).
CREATE INDEX greylist_triplet_pending ON greylist_triplet (client_net) WHERE NOT passed;
