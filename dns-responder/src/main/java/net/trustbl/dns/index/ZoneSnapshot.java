package net.trustbl.dns.index;

import java.util.Map;

/**
 * An immutable view of the zone at one serial: the global index plus the member views. Lookups
 * apply the RFC 5782 test points before anything else: 127.0.0.2 and ::ffff:7f00:2 are always listed,
 * 127.0.0.1 and ::ffff:7f00:1 never.
 */
public final class ZoneSnapshot {

    public static final int TEST_POINT_LISTED_V4 = 0x7f000002;
    public static final int TEST_POINT_UNLISTED_V4 = 0x7f000001;
    public static final long TEST_POINT_V6_HI = 0L;
    public static final long TEST_POINT_LISTED_V6_LO = 0x0000ffff7f000002L;
    public static final long TEST_POINT_UNLISTED_V6_LO = 0x0000ffff7f000001L;

    private final long serial;
    private final ZoneIndex index;
    private final Map<String, CompiledView> views;

    ZoneSnapshot(long serial, ZoneIndex index, Map<String, CompiledView> views) {
        this.serial = serial;
        this.index = index;
        this.views = views;
    }

    public long serial() {
        return serial;
    }

    public ZoneIndex index() {
        return index;
    }

    /** The view for a query key label (case-insensitive), or null when the key is unknown. */
    public CompiledView view(String keyLowerCase) {
        return views.get(keyLowerCase);
    }

    Map<String, CompiledView> viewsMap() {
        return views;
    }

    ZoneSnapshot withViews(Map<String, CompiledView> v) {
        return new ZoneSnapshot(serial, index, v);
    }

    public boolean hasViews() {
        return !views.isEmpty();
    }

    public int viewCount() {
        return views.size();
    }

    /** The return code to answer for an IPv4 address (0 = not listed); view may be null. */
    public int codeV4(int ip, CompiledView view) {
        if (ip == TEST_POINT_LISTED_V4) {
            return 2;
        }
        if (ip == TEST_POINT_UNLISTED_V4) {
            return 0;
        }
        if (view == null) {
            return index.findCodeV4(ip);
        }
        return view.applyV4(ip, index.findV4(ip));
    }

    public int codeV6(long hi, long lo, CompiledView view) {
        if (hi == TEST_POINT_V6_HI) {
            if (lo == TEST_POINT_LISTED_V6_LO) {
                return 2;
            }
            if (lo == TEST_POINT_UNLISTED_V6_LO) {
                return 0;
            }
        }
        long found = index.findV6(hi, lo);
        if (view != null) {
            return view.applyV6(hi, lo, found);
        }
        return found == ZoneIndex.NONE ? 0 : ZoneIndex.code(found);
    }
}
