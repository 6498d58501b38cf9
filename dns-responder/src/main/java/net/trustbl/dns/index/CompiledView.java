package net.trustbl.dns.index;

import net.trustbl.address.ReturnCode;

/** A {@link MemberView} compiled into prefix tables for lookups on the query path. */
public final class CompiledView {

    private final MemberView source;
    private final ZoneIndex allow;
    private final ZoneIndex deny;
    private final float threshold;

    CompiledView(MemberView source) {
        this.source = source;
        IndexBuilder a = new IndexBuilder();
        for (String s : source.allow()) {
            a.add(Ip.parseBlock(s), 1, 0f);
        }
        IndexBuilder d = new IndexBuilder();
        for (String s : source.deny()) {
            d.add(Ip.parseBlock(s), ReturnCode.PERSONAL_DENY.code(), 0f);
        }
        this.allow = a.build();
        this.deny = d.build();
        double t = source.threshold();
        this.threshold = Double.isNaN(t) || t <= 0 ? 0f : (float) t;
    }

    public MemberView source() {
        return source;
    }

    public String key() {
        return source.queryKey();
    }

    int applyV4(int ip, long global) {
        if (allow.findV4(ip) != ZoneIndex.NONE) {
            return 0;
        }
        if (deny.findV4(ip) != ZoneIndex.NONE) {
            return 4;
        }
        return filter(global);
    }

    int applyV6(long hi, long lo, long global) {
        if (allow.findV6(hi, lo) != ZoneIndex.NONE) {
            return 0;
        }
        if (deny.findV6(hi, lo) != ZoneIndex.NONE) {
            return 4;
        }
        return filter(global);
    }

    private int filter(long global) {
        if (global == ZoneIndex.NONE) {
            return 0;
        }
        if (threshold > 0 && !(ZoneIndex.score(global) >= threshold)) {
            return 0;
        }
        return ZoneIndex.code(global);
    }
}
