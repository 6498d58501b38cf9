package net.trustbl.engine.simulate;

import net.trustbl.engine.EngineConfig;
import net.trustbl.engine.EngineEvent;
import net.trustbl.address.IpBlock;
import net.trustbl.engine.Verdict;

import java.util.HashMap;

/**
 * Baseline: Trustic (2003) as described: each member has a trust level that rises with every
 * recommendation it sends (0.1 at sign-up, +0.05 per report, at most 1.0); an address is listed
 * when the summed trust of the members who reported it as spam in the last week (each member
 * once, at its trust when reporting), minus the trust of members who vouched for it, reaches
 * 1.0. A listing lapses 24 h after the last spam report; an upheld delisting request removes it
 * and forgets the reports so far (reporters are not penalised). No spam traps, no volume rule.
 */
final class TrusticModel implements ListingModel {

    static final double START_TRUST = 0.1;
    static final double GAIN_PER_REPORT = 0.05;
    static final double THRESHOLD = 1.0;
    static final long WINDOW = 7 * EngineConfig.DAY;
    static final long TTL = 24 * EngineConfig.HOUR;

    private static final class Host {
        final HashMap<Long, double[]> byMember = new HashMap<>(); // member -> {trust, time, sign}
        long listedUntil;
        long forgetBefore;
    }

    private final HashMap<Long, double[]> trust = new HashMap<>();
    private final HashMap<IpBlock, Host> hosts = new HashMap<>();
    private long now;

    @Override
    public String name() {
        return "trustic";
    }

    @Override
    public void apply(EngineEvent event) {
        now = Math.max(now, event.atMillis());
        if (event instanceof EngineEvent.ReportFiled e) {
            double[] t = trust.computeIfAbsent(e.memberId(), k -> new double[] {START_TRUST});
            Host h = hosts.computeIfAbsent(e.target(), k -> new Host());
            boolean spam = e.verdict() == Verdict.SPAM;
            h.byMember.put(e.memberId(), new double[] {t[0], now, spam ? 1 : -1});
            t[0] = Math.min(1.0, t[0] + GAIN_PER_REPORT);
            if (spam) {
                if (h.listedUntil > now) {
                    h.listedUntil = now + TTL;
                } else if (score(h) >= THRESHOLD - 1e-9) { // ten members at 0.1 sum to 0.999…
                    h.listedUntil = now + TTL;
                }
            }
        } else if (event instanceof EngineEvent.DelistingDecided e && e.upheld()) {
            Host h = hosts.get(e.ip());
            if (h != null) {
                h.listedUntil = 0;
                h.forgetBefore = now;
                h.byMember.clear();
            }
        }
    }

    private double score(Host h) {
        double sum = 0;
        for (double[] r : h.byMember.values()) {
            if (now - (long) r[1] <= WINDOW && (long) r[1] >= h.forgetBefore) {
                sum += r[0] * r[2];
            }
        }
        return sum;
    }

    @Override
    public boolean isListed(IpBlock ip) {
        Host h = hosts.get(ip);
        return h != null && h.listedUntil > now;
    }
}
