package net.trustbl.dns.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The UDP worker count when none is configured: one per two cores (see DnsConfig.defaultUdpThreads). */
class UdpThreadsDefaultTest {

    @Test
    void oneWorkerPerTwoCoresAndAtLeastOne() {
        assertEquals(1, DnsConfig.defaultUdpThreads(1));
        assertEquals(1, DnsConfig.defaultUdpThreads(2));
        assertEquals(1, DnsConfig.defaultUdpThreads(3));
        assertEquals(2, DnsConfig.defaultUdpThreads(4));
        assertEquals(8, DnsConfig.defaultUdpThreads(16));
    }

    @Test
    void anUnsetCountTakesTheDefaultAndAGivenOneIsKept() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(DnsConfig.defaultUdpThreads(cores), DnsConfig.builder().build().udpThreads());
        assertEquals(3, DnsConfig.builder().udpThreads(3).build().udpThreads());
    }
}
