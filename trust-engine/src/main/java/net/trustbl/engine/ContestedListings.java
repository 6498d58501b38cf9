package net.trustbl.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Delisting requests as a sign of a coalition. A server that farmed accounts list asks for its
 * delisting at once, while a moderator's answer takes hours; in those hours the same accounts list
 * one new server after another with one report each (sweep world-118-46: 20 of 29 new servers in
 * the 14 hours before the first removal). So a request on a listing that rests on members' word
 * makes the accounts created near its reporters (within {@link EngineConfig#cohortMillis()} of a
 * reporter with less than six weeks and a half of track record, MemberBook#outlastsAContest) count
 * as on probation until a moderator decides it, at most
 * {@link EngineConfig#contestHoldMillis()}: what they report on new senders goes to a moderator
 * instead of listing (CohortWatch). A refused request (the listing was right) or a trap hit lifts
 * it at once.
 *
 * <p>Anyone can ask, spammers first. A spammer who asks for the delisting of each of its sources
 * would hold the early reporters of its spam for hours (on the sweep with every spam source
 * asking, every check fell from 98.0 to 79.5 % of the worlds of seed 118). So a request counts
 * only while requests come for at most {@link EngineConfig#contestMaxShare()} of the listings the
 * engine makes (both counted with a half-life of a week): where more listed senders ask, a request
 * says nothing and holds nobody. Below that share a spammer's requests still cost some recall
 * (docs/engine-tuning.md, "12-06 evening"), which is why the share is small.
 */
final class ContestedListings {

    private static final double HALF_LIFE_MILLIS = 7.0 * EngineConfig.DAY;

    private final EngineConfig config;
    /** Listings made and delisting requests on listed addresses, each decayed to {@link #decayedAt}. */
    private double listings;
    private double requests;
    private long decayedAt = Long.MIN_VALUE;

    ContestedListings(EngineConfig config) {
        this.config = config;
    }

    /** A listing was made at {@code t}. */
    void listingMade(long t) {
        decayTo(t);
        listings += 1;
    }

    /**
     * Someone asked at {@code t} for the delisting of {@code listing}, listed: counts the request,
     * and returns whether it holds the listing's reporters' cohort (requests are not yet common).
     * A listing counts one request: anyone may ask again and again (the service lets three an
     * hour through per address), and counted each time one listed address would use up the share
     * for every listing and hold its cohort anew each contestHoldMillis, for as long as it is listed.
     */
    boolean requestHolds(IpEvidence listing, long t) {
        if (config.contestHoldMillis() <= 0 || listing.contested) {
            return false;
        }
        listing.contested = true; // until the address is listed anew (Judgement#list)
        decayTo(t);
        requests += 1;
        return requests <= config.contestMaxShare() * Math.max(1.0, listings);
    }

    private void decayTo(long t) {
        if (decayedAt != Long.MIN_VALUE && t > decayedAt) {
            double f = Math.pow(0.5, (t - decayedAt) / HALF_LIFE_MILLIS);
            listings *= f;
            requests *= f;
        }
        decayedAt = Math.max(decayedAt, t);
    }

    void write(DataOutput out) throws IOException {
        out.writeDouble(listings);
        out.writeDouble(requests);
        out.writeLong(decayedAt);
    }

    void read(DataInput in) throws IOException {
        listings = in.readDouble();
        requests = in.readDouble();
        decayedAt = in.readLong();
    }
}
