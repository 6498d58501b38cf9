package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import java.util.ArrayList;
import java.util.List;

import static net.trustbl.engine.EngineConfig.DAY;
import static net.trustbl.engine.EngineConfig.HOUR;

/** Small helpers for engine tests: a clock, members of a given age and trust, reports. */
class EngineFixture {

    static final long T0 = 1_800_000_000_000L;

    final TrustEngine engine;
    final List<Decision> decisions = new ArrayList<>();
    long reportIds = 1000;

    EngineFixture() {
        this(EngineConfig.defaults());
    }

    EngineFixture(EngineConfig config) {
        this(new TrustEngine(config));
    }

    private EngineFixture(TrustEngine engine) {
        this.engine = engine;
    }

    /** A fixture around {@code engine} (one read from a snapshot file, say) whose fresh addresses start after the first {@code usedNets}. */
    static EngineFixture around(TrustEngine engine, int usedNets) {
        EngineFixture f = new EngineFixture(engine);
        f.nextNet = usedNets;
        return f;
    }

    /** Members 1 and 2 at full earned trust: accounts 400 days old with a long record of confirmed reports. */
    static EngineFixture trustedPair() {
        EngineFixture f = new EngineFixture();
        f.member(1, 400, null, T0);
        f.member(2, 400, null, T0);
        f.earnTrack(T0, 25, 1, 2);
        return f;
    }

    List<Decision> apply(EngineEvent e) {
        List<Decision> d = engine.apply(e);
        decisions.addAll(d);
        return d;
    }

    /** A member that joined {@code ageDays} before {@code at}, trust pinned when {@code pin} is not null. */
    void member(long id, double ageDays, Double pin, long at) {
        apply(new EngineEvent.MemberJoined(id, at - (long) (ageDays * DAY)));
        if (pin != null) {
            apply(new EngineEvent.TrustPinned(id, pin, at));
        }
    }

    List<Decision> spam(long member, String ip, long at) {
        return apply(new EngineEvent.ReportFiled(++reportIds, member, IpBlock.parse(ip), Verdict.SPAM, 1.0, at));
    }

    List<Decision> trusted(long member, String ip, long at) {
        return apply(new EngineEvent.ReportFiled(++reportIds, member, IpBlock.parse(ip), Verdict.TRUSTED, 1.0, at));
    }

    List<Decision> trap(String ip, int hits, long at) {
        return apply(new EngineEvent.TrapHit(IpBlock.parse(ip), hits, at));
    }

    boolean listed(String ip, long at) {
        return engine.explain(IpBlock.parse(ip), at).listed();
    }

    List<Decision> report(long member, String ip, Verdict verdict, double strength, long at) {
        return apply(new EngineEvent.ReportFiled(++reportIds, member, IpBlock.parse(ip), verdict, strength, at));
    }

    /** Receivers looked {@code ip} up {@code n} times (counted lookups). */
    List<Decision> lookups(String ip, long n, long at) {
        return apply(new EngineEvent.TrafficObserved(IpBlock.parse(ip), n, at));
    }

    /** {@code n} lookups once a day for {@code days} days from {@code from}; returns the time of the last observation. */
    long dailyLookups(String ip, long n, long from, int days) {
        long t = from;
        for (int d = 0; d < days; d++) {
            t = from + d * DAY;
            lookups(ip, n, t);
        }
        return t;
    }

    /**
     * {@code n} addresses that start sending at {@code since}: lookups then and a day later (call
     * it before the clock passes that day, events never go back). With two clean days they have no
     * clean record (the fresh bar 0.1) and are kept by the engine; 36 hours after their first
     * lookup they are no longer new senders (EngineConfig#newSenderMillis).
     */
    String[] sendingSince(long since, int n) {
        String[] ips = new String[n];
        for (int i = 0; i < n; i++) {
            ips[i] = freshNet();
            lookups(ips[i], 10, since);
        }
        for (String ip : ips) {
            lookups(ip, 10, since + DAY);
        }
        return ips;
    }

    private int nextNet;

    /** A public address in a /24 of its own, never used before by this fixture (no snowshoe escalation). */
    /** Gives {@code member} one confirmed report: an early report on a fresh address, then the operator's traps list it. */
    void confirmedOnce(long member, long at) {
        String net = freshNet();
        spam(member, net, at);
        trap(net, 2, at + 1);
    }

    String freshNet() {
        int n = nextNet++;
        return "45." + (1 + n / 250) + "." + (n % 250) + ".9";
    }

    /**
     * Builds an independent track record: on each of {@code days} UTC days (08:00 to 13:00), every member
     * files 3 early claims, each on an address of its own that an operator trap hit confirms an hour later.
     * That is 3 earnings (0.069) and one earning day per member and day. Returns 08:00 of the next day.
     */
    long earnTrack(long t, int days, long... ids) {
        long base = Math.floorDiv(t, DAY) * DAY + 8 * HOUR;
        if (base < t) {
            base += DAY;
        }
        for (int d = 0; d < days; d++) {
            long day = base + d * DAY;
            for (int k = 0; k < 3; k++) {
                String[] ips = new String[ids.length];
                for (int i = 0; i < ids.length; i++) {
                    ips[i] = freshNet();
                    spam(ids[i], ips[i], day + k * 2 * HOUR);
                }
                for (String ip : ips) {
                    trap(ip, 1, day + k * 2 * HOUR + HOUR);
                }
            }
        }
        return base + days * DAY;
    }

    /** This world read back from a snapshot (format 3): a fixture that goes on where this one is. */
    EngineFixture restored() throws java.io.IOException {
        EngineFixture g = around(restoredFromSnapshot(), nextNet);
        g.reportIds = reportIds;
        return g;
    }

    /** A new engine read back from a snapshot of this one (format 3). */
    TrustEngine restoredFromSnapshot() throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        EngineSnapshot.write(engine, new java.io.DataOutputStream(bytes));
        return EngineSnapshot.read(engine.config(), new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
    }

    static <T extends Decision> List<T> of(List<Decision> ds, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Decision d : ds) {
            if (type.isInstance(d)) {
                out.add(type.cast(d));
            }
        }
        return out;
    }

    static long hours(double h) {
        return (long) (h * HOUR);
    }

    /**
     * Members 1-4 opened within two days of each other; 1 and 2 were caught listing a server
     * wrongly (a moderator upheld its delisting at T0 + 2 h), so 3 and 4 are suspect: accounts
     * of a marked coalition.
     */
    static EngineFixture suspectCohort() {
        EngineFixture f = new EngineFixture();
        for (long m = 1; m <= 4; m++) {
            f.member(m, 20 + m * 0.5, null, T0);
            f.confirmedOnce(m, T0 - HOUR + m);
        }
        String server = f.freshNet();
        f.lookups(server, 10, T0);
        f.spam(1, server, T0 + HOUR);
        f.spam(2, server, T0 + HOUR + 1);
        f.apply(new EngineEvent.DelistingDecided(net.trustbl.address.IpBlock.parse(server), true, T0 + 2 * HOUR));
        return f;
    }
}
