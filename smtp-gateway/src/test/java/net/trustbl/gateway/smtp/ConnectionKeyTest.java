package net.trustbl.gateway.smtp;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** max-connections-per-ip counts an IPv4 address, or an IPv6 /64 (one host's usual share). */
class ConnectionKeyTest {

    static String key(String ip) throws Exception {
        return SmtpServer.connectionKey(InetAddress.getByName(ip));
    }

    @Test
    void oneIpv6Slash64IsOneClient() throws Exception {
        assertEquals(key("2001:db8:1:2::1"), key("2001:db8:1:2:ffff:ffff:ffff:fffe"));
        assertNotEquals(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
    }

    @Test
    void ipv4AddressesStayApart() throws Exception {
        assertEquals("192.0.2.7", key("192.0.2.7"));
        assertNotEquals(key("192.0.2.7"), key("192.0.2.8"));
    }
}
