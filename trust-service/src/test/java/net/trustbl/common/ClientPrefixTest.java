package net.trustbl.common;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ClientPrefixTest {

    @Test
    void ipv6ClientsInOneSlash64AreOneClient() {
        assertEquals(ClientPrefix.client("2001:db8:1:2::1"), ClientPrefix.client("2001:db8:1:2:ffff:ffff:ffff:fffe"));
        assertEquals("2001:db8:1:2::/64", ClientPrefix.client("2001:db8:1:2:abcd::9"));
        assertNotEquals(ClientPrefix.client("2001:db8:1:2::1"), ClientPrefix.client("2001:db8:1:3::1"));
        assertEquals("2001:db8:1::/48", ClientPrefix.network("2001:db8:1:3::1"));
    }

    @Test
    void anIpv4ClientIsItsAddressAndItsNetworkTheSlash24() {
        assertEquals("198.51.100.7", ClientPrefix.client("198.51.100.7"));
        assertEquals("198.51.100.0/24", ClientPrefix.network("198.51.100.7"));
        assertEquals("198.51.100.7", ClientPrefix.client("::ffff:198.51.100.7"), "IPv4 through a dual-stack socket");
        assertEquals("fe80::/64", ClientPrefix.client("fe80::1%eth0"));
        assertEquals("unknown", ClientPrefix.client(null));
    }
}
