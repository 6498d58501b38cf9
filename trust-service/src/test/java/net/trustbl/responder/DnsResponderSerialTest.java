package net.trustbl.responder;

import net.trustbl.dns.index.ZoneData;
import net.trustbl.engine.Decision.Change;
import net.trustbl.address.IpBlock;
import net.trustbl.listing.ListingFeed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SOA serial never goes back across restarts, even when the feed serial does (plain unit test). */
class DnsResponderSerialTest {

    private static ListingFeed.Entry entry(long serial, String ip) {
        return new ListingFeed.Entry(serial, IpBlock.parse(ip), Change.CREATED, 2, 1.0, 0L);
    }

    /** One run of the service: a fresh zone and batcher on the same data dir. */
    private static ZoneData run(Path file, long feedSerialAtStart, int changes) {
        ZoneData zone = new ZoneData();
        ZoneBatcher b = new ZoneBatcher(zone);
        b.serialsFrom(new SerialFloor(file));
        b.onSnapshot(new ListingFeed.Snapshot(feedSerialAtStart, List.of(entry(feedSerialAtStart, "192.0.2.1"))));
        for (int i = 1; i <= changes; i++) {
            b.onChanges(feedSerialAtStart + i, List.of(entry(feedSerialAtStart + i, "192.0.2." + (i + 1))));
            b.flush();
        }
        return zone;
    }

    @Test
    void aFeedSerialThatGoesBackAfterACrashDoesNotTakeTheSoaSerialBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dns-serial");
        ZoneData first = run(file, 100, 5);
        assertEquals(105, first.serial(), "on a fresh data dir the zone serial is the feed serial");
        assertTrue(Files.exists(file));
        // crash: the last listing changes never reached the database, the feed restarts at 51
        ZoneData second = run(file, 51, 3);
        assertTrue(second.serial() > 105, "serial went back to " + second.serial());
        long afterSecond = second.serial();
        // and again, with the feed serial far ahead this time: the feed serial wins
        ZoneData third = run(file, 1_000_000, 0);
        assertTrue(third.serial() >= 1_000_000 && third.serial() > afterSecond);
    }

    @Test
    void theMarkIsReservedAheadSoMostSerialsCostNoWrite(@TempDir Path dir) throws Exception {
        SerialFloor f = new SerialFloor(dir.resolve("s"));
        assertEquals(7, f.forSnapshot(7));
        long mark = f.reserved();
        for (long s = 8; s < 100; s++) {
            assertEquals(s, f.forChange(s));
        }
        assertEquals(mark, f.reserved(), "no new write within the reserved step");
        assertEquals(mark, Long.parseLong(Files.readString(dir.resolve("s")).trim()));
        // a new run starts above the mark, i.e. above anything the old run could have published
        assertEquals(mark + 1, new SerialFloor(dir.resolve("s")).forSnapshot(50));
    }
}
