package net.trustbl.gateway.traps;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local block after a trap hit: per client network as every other per-client limit (an IPv6
 * client changes its address within its /64 at will), and a full table makes room for the new
 * block by dropping the oldest.
 */
class TrapBlocksTest {

    private static final long HOUR = 3_600_000L;

    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    @Test
    void anIpv6BlockCoversTheWholeSlash64() {
        TrapBlocks blocks = new TrapBlocks(HOUR, clock);
        blocks.block(ip("2001:db8::1"));
        assertNotNull(blocks.blockedUntil(ip("2001:db8::2")), "another address of the same /64");
        assertNotNull(blocks.blockedUntil(ip("2001:db8:0:0:ffff::9")));
        assertNull(blocks.blockedUntil(ip("2001:db8:0:1::1")), "the next /64 is another client");
        blocks.block(ip("192.0.2.1"));
        assertNull(blocks.blockedUntil(ip("192.0.2.2")), "IPv4 clients are single addresses");
    }

    @Test
    void aFullTableKeepsTheNewBlockAndDropsTheOldest() {
        TrapBlocks blocks = new TrapBlocks(HOUR, clock);
        for (int i = 0; i < TrapBlocks.MAX_ENTRIES; i++) {
            blocks.block(ip("10." + (i >> 16) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff)));
        }
        blocks.block(ip("192.0.2.9"));
        assertNotNull(blocks.blockedUntil(ip("192.0.2.9")), "the newest block is kept");
        assertNull(blocks.blockedUntil(ip("10.0.0.0")), "the oldest made room");
        assertNotNull(blocks.blockedUntil(ip("10.0.0.1")));
    }

    @Test
    void expiredBlocksAreDroppedOldestFirstAndReportsGoOncePerNetwork() {
        long[] now = {0};
        Clock moving = new Clock() {
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            public Instant instant() {
                return Instant.ofEpochMilli(now[0]);
            }
        };
        TrapBlocks blocks = new TrapBlocks(HOUR, moving);
        blocks.block(ip("192.0.2.1"));
        now[0] += 30 * 60_000L;
        blocks.block(ip("192.0.2.2"));
        now[0] += 40 * 60_000L;
        assertNull(blocks.blockedUntil(ip("192.0.2.1")), "an hour has passed");
        assertNotNull(blocks.blockedUntil(ip("192.0.2.2")));
        blocks.block(ip("192.0.2.1"));
        assertNotNull(blocks.blockedUntil(ip("192.0.2.1")), "blocked again after a new hit");

        assertTrue(blocks.firstHitToReport(ip("2001:db8::1")));
        assertFalse(blocks.firstHitToReport(ip("2001:db8::2")), "the same /64");
        now[0] += HOUR + 1;
        assertTrue(blocks.firstHitToReport(ip("2001:db8::3")), "the interval has passed");
    }
}
