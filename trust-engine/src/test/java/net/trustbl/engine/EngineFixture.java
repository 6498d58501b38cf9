package net.trustbl.engine;

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
        engine = new TrustEngine(config);
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
}
