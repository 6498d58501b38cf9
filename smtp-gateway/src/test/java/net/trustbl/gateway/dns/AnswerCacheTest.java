package net.trustbl.gateway.dns;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gateway's DNS answer cache stays bounded without dropping the answers in use. */
class AnswerCacheTest {

    static final DnsAnswer LISTED = new DnsAnswer(DnsAnswer.Status.FOUND, List.of("127.0.0.2"));
    static final DnsAnswer NONE = new DnsAnswer(DnsAnswer.Status.NXDOMAIN, List.of());

    @Test
    void aFloodOfOneTimeNamesKeepsTheAnswersInUse() {
        AnswerCache cache = new AnswerCache(1_000);
        long now = 1_000_000;
        for (int i = 0; i < 100; i++) {
            cache.put("1|" + i + ".2.0.192.bl.example", LISTED, now + 3_600_000, now);
            cache.get("1|" + i + ".2.0.192.bl.example", now); // a DNSBL answer asked for again
        }
        // one session: MAIL FROM a fresh name of a wildcard zone, again and again, each name asked
        // for twice (the second from the cache); the DNSBL answers keep being asked for meanwhile
        for (int i = 0; i < 50_000; i++) {
            cache.put("15|x" + i + ".wildcard.example", NONE, now + 600_000, now);
            cache.get("15|x" + i + ".wildcard.example", now);
            if (i % 50 == 0) {
                for (int k = 0; k < 100; k++) {
                    cache.get("1|" + k + ".2.0.192.bl.example", now);
                }
            }
            assertTrue(cache.size() <= 1_000, "bounded: " + cache.size());
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(LISTED, cache.get("1|" + i + ".2.0.192.bl.example", now), "kept: the answer in use " + i);
        }
    }

    @Test
    void expiredAnswersAreNotServedAndGoFirst() {
        AnswerCache cache = new AnswerCache(10);
        long now = 5_000;
        cache.put("1|old", LISTED, now + 10, now);
        assertNull(cache.get("1|old", now + 10), "expired at its time");
        for (int i = 0; i < 9; i++) {
            cache.put("1|n" + i, NONE, now + 1_000, now);
            cache.get("1|n" + i, now);
        }
        cache.put("1|new", LISTED, now + 1_000, now + 20); // full: the expired one makes room
        assertEquals(LISTED, cache.get("1|new", now + 20));
        for (int i = 0; i < 9; i++) {
            assertEquals(NONE, cache.get("1|n" + i, now + 20), "a valid answer in use stays: " + i);
        }
    }
}
