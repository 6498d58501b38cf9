package net.trustbl.dns.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.ZoneData;
import net.trustbl.dns.config.DnsConfig;
import net.trustbl.dns.server.DnsServer;
import net.trustbl.dns.server.ZoneFreshness;
import net.trustbl.dns.traffic.TrafficCounters;
import net.trustbl.dns.zone.ZoneRecords;
import org.junit.jupiter.api.Test;

/** A replica transfers the allow zone (trusted senders) from its primary like the list: AXFR, then IXFR. */
class AllowZoneFollowerTest {

    @Test
    void aFollowerTransfersTheAllowZoneLikeTheList() throws Exception {
        ZoneData allow = new ZoneData();
        allow.replaceAll(40, List.of(new ListingRecord("198.51.100.5", 1, 0f)));
        DnsConfig pc = DnsConfig.builder().bind("127.0.0.1", 0).build();
        ZoneData copy = new ZoneData();
        try (DnsServer primary = DnsServer.start(pc, new ZoneData(), allow, new TrafficCounters(), ZoneFreshness.always());
             ZoneFollower follower = new ZoneFollower("127.0.0.1", primary.boundPort(), ZoneRecords.allowZone(pc), copy, null)) {
            assertTrue(follower.refresh());
            assertEquals(40, copy.serial());
            assertEquals(1, copy.snapshot().codeV4(0xc6336405, null)); // 198.51.100.5
            allow.apply(41, List.of(ListingRecord.removal("198.51.100.5"), new ListingRecord("203.0.113.9", 2, 0f)));
            assertTrue(follower.refresh());
            assertEquals(41, copy.serial());
            assertEquals(0, copy.snapshot().codeV4(0xc6336405, null));
            assertEquals(2, copy.snapshot().codeV4(0xcb007109, null)); // 203.0.113.9
            assertTrue(copy.deltasSince(40) != null, "an IXFR step, as for the list");
        }
    }
}
