package net.trustbl.engine.simulate;

import java.util.ArrayList;
import java.util.List;

/** Where simulated senders live: ordinary public unicast space (no private, loopback, test or reserved ranges). */
final class PublicNetworks {

    /** First octets a simulated /24 may start with. */
    static final int[] FIRST_OCTETS;

    static {
        List<Integer> ok = new ArrayList<>();
        for (int a = 11; a <= 223; a++) {
            if (a != 100 && a != 127 && a != 169 && a != 172 && a != 192 && a != 198 && a != 203) {
                ok.add(a);
            }
        }
        FIRST_OCTETS = ok.stream().mapToInt(Integer::intValue).toArray();
    }

    private PublicNetworks() {
    }
}
