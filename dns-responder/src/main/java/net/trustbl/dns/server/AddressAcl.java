package net.trustbl.dns.server;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

import net.trustbl.dns.index.IndexBuilder;
import net.trustbl.dns.index.Ip;
import net.trustbl.dns.index.ZoneIndex;

/** A set of client networks; {@link #open()} matches everyone. */
final class AddressAcl {

    private final ZoneIndex nets;
    private final boolean open;

    private AddressAcl(ZoneIndex nets, boolean open) {
        this.nets = nets;
        this.open = open;
    }

    static AddressAcl open() {
        return new AddressAcl(ZoneIndex.EMPTY, true);
    }

    /** Matches the listed networks; an empty list matches nobody. */
    static AddressAcl of(List<String> cidrs) {
        IndexBuilder b = new IndexBuilder();
        for (String c : cidrs) {
            b.add(Ip.parseBlock(c), 1, 0f);
        }
        return new AddressAcl(b.build(), false);
    }

    boolean isOpen() {
        return open;
    }

    boolean matches(InetAddress a) {
        if (open) {
            return true;
        }
        if (a instanceof Inet4Address) {
            // Inet4Address.hashCode() is the address itself: no allocation on the query path
            return nets.findV4(a.hashCode()) != ZoneIndex.NONE;
        }
        byte[] b = a.getAddress();
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (b[i] & 255);
            lo = (lo << 8) | (b[i + 8] & 255);
        }
        if (hi == 0 && (lo >>> 32) == 0xffff) {
            return nets.findV4((int) lo) != ZoneIndex.NONE;
        }
        return nets.findV6(hi, lo) != ZoneIndex.NONE;
    }
}
