package net.trustbl.engine;

import java.util.HashMap;
import java.util.function.Consumer;

/**
 * Members' trust: earned slowly by confirmed reports, halved by each strike, pinned by admins.
 * Why linear gain: a new member should need about twenty confirmations to become trusted, no
 * matter how fast they report, and a strike should make the next climb twice as slow.
 */
final class MemberBook {

    private final EngineConfig config;
    private final HashMap<Long, MemberState> members = new HashMap<>();

    MemberBook(EngineConfig config) {
        this.config = config;
    }

    MemberState get(long id) {
        return members.get(id);
    }

    /** A member we never heard of is taken to have joined now (reports may arrive before the join event). */
    MemberState getOrJoin(long id, long atMillis) {
        MemberState m = members.get(id);
        if (m == null) {
            m = new MemberState(id, atMillis, config.newMemberTrust());
            members.put(id, m);
        }
        return m;
    }

    /** Joining twice keeps the earlier time (the account is as old as its first sign of life). */
    MemberState join(long id, long atMillis) {
        MemberState m = getOrJoin(id, atMillis);
        m.joinedAtMillis = Math.min(m.joinedAtMillis, atMillis);
        return m;
    }

    /** True when this member's report, filed at {@code reportMillis}, may weigh toward a listing. */
    boolean agedEnough(MemberState m, long reportMillis) {
        return reportMillis - m.joinedAtMillis >= config.minMemberAgeMillis();
    }

    /** The weight a member's report carries now (before evidence age and report strength). */
    double reportTrust(MemberState m, boolean agedEnoughAtReport) {
        if (m.suspended) {
            return 0;
        }
        if (m.pinned()) {
            // a pin counts whatever the account's age, but not below the trust floor
            return m.pinnedTrust < config.minReporterTrust() ? 0 : m.pinnedTrust;
        }
        if (!agedEnoughAtReport || m.earnedTrust < config.minReporterTrust()) {
            return 0;
        }
        return m.earnedTrust;
    }

    void confirm(MemberState m, boolean earnsTrust, long atMillis, Consumer<Decision> out) {
        m.confirmedReports++;
        if (!earnsTrust) {
            return;
        }
        double gain = config.trustGainPerConfirmation() / (1L << Math.min(m.strikes, 62));
        double old = m.earnedTrust;
        m.earnedTrust = Math.min(1.0, old + gain);
        if (!m.pinned() && m.earnedTrust != old) {
            out.accept(new Decision.TrustChanged(m.id, old, m.earnedTrust, "report confirmed", atMillis));
        }
    }

    /** A report of this member was found wrong: half its trust goes, and later gains halve. */
    void strike(MemberState m, IpBlock ip, long atMillis, Consumer<Decision> out) {
        m.strikes++;
        if (m.pinned()) {
            return; // an admin's pin is the admin's call
        }
        double old = m.earnedTrust;
        m.earnedTrust = old / 2;
        out.accept(new Decision.TrustChanged(m.id, old, m.earnedTrust, "report on " + ip + " cleared (strike " + m.strikes + ")", atMillis));
    }

    void pin(MemberState m, Double trust, long atMillis, Consumer<Decision> out) {
        double old = m.shownTrust();
        m.pinnedTrust = trust == null ? Double.NaN : Math.max(0, Math.min(1, trust));
        double now = m.shownTrust();
        if (now != old) {
            out.accept(new Decision.TrustChanged(m.id, old, now, trust == null ? "pin removed" : "pinned by admin", atMillis));
        }
    }
}
