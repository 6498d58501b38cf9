package net.trustbl.address;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpBlockTest {

    @ParameterizedTest
    @CsvSource({
            "192.0.2.1, 192.0.2.1",
            "0.0.0.0, 0.0.0.0",
            "255.255.255.255, 255.255.255.255",
            " 8.8.8.8 , 8.8.8.8",
            "192.0.2.77/24, 192.0.2.0/24",
            "10.1.2.3/8, 10.0.0.0/8",
            "1.2.3.4/32, 1.2.3.4",
            "1.2.3.4/0, 0.0.0.0/0",
            "2001:DB8::1, 2001:db8::1",
            "2001:db8:0:0:0:0:0:1, 2001:db8::1",
            "2001:0db8:0000:0000:0001:0000:0000:0001, 2001:db8::1:0:0:1",
            "2001:db8:0:0:1:0:0:0, 2001:db8:0:0:1::",
            "2001:db8::/64, 2001:db8::/64",
            "2001:db8:1:2:3:4:5:6/64, 2001:db8:1:2::/64",
            "2001:db8:1:2:3:4:5:6/48, 2001:db8:1::/48",
            "2001:db8:1:2:3:4:5:6/100, 2001:db8:1:2:3:4::/100",
            "::, ::",
            "::1, ::1",
            "1::, 1::",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "::ffff:127.0.0.2, ::ffff:127.0.0.2",
            "::ffff:7f00:2, ::ffff:127.0.0.2",
            "64:ff9b::192.0.2.33, 64:ff9b::c000:221",
            "1:0:0:2:0:0:0:3, 1:0:0:2::3",
            "1:0:0:0:2:0:0:3, 1::2:0:0:3",
    })
    void parsesAndFormatsCanonically(String in, String canonical) {
        IpBlock b = IpBlock.parse(in);
        assertEquals(canonical, b.toString());
        assertEquals(b, IpBlock.parse(b.toString()), "canonical text parses back to the same block");
        assertEquals(b.hashCode(), IpBlock.parse(b.toString()).hashCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "1.2.3", "1.2.3.4.5", "1.2.3.256", "01.2.3.4", "1.2.3.4/33", "1.2.3.4/",
            "1.2.3.4/-1", "1.2.3.4/a", "1..3.4", "1.2.3.4.", ".1.2.3.4", "a.b.c.d", "1.2.3.1000",
            "2001:db8::1::2", "2001:db8:::1", ":1::", "1::2:", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
            "12345::", "2001:db8::g", "2001:db8::/129", "1.2.3.4::", "::1.2.3.4:5", "fe80::1%eth0",
            "1:2:3:4:5:6:7::8", "example.com", "1.2.3.4/24/8",
            "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255:1"})
    void rejectsMalformedInput(String in) {
        assertThrows(IllegalArgumentException.class, () -> IpBlock.parse(in));
    }

    @Test
    void rejectsNullAndHugeInput() {
        assertThrows(IllegalArgumentException.class, () -> IpBlock.parse(null));
        assertThrows(IllegalArgumentException.class, () -> IpBlock.parse("1".repeat(10_000)));
    }

    @Test
    void ipv4ValuesAndPrefixes() {
        IpBlock b = IpBlock.parse("203.0.113.200");
        assertEquals(0xCB0071C8, b.v4());
        assertTrue(b.isSingleAddress());
        assertFalse(b.isV6());
        assertEquals(32, b.prefixLength());
        assertEquals(IpBlock.ofV4(0xCB0071C8, 24), IpBlock.parse("203.0.113.0/24"));
        assertThrows(IllegalArgumentException.class, () -> IpBlock.ofV4(1, 33));
        IpBlock v6 = IpBlock.parse("2001:db8::ff");
        assertEquals(0x20010db800000000L, v6.hi());
        assertEquals(0xffL, v6.lo());
        assertEquals(IpBlock.ofV6(0x20010db800000000L, 0xffL, 128), v6);
    }

    @Test
    void containsAndWiden() {
        IpBlock net = IpBlock.parse("203.0.113.0/24");
        assertTrue(net.contains(IpBlock.parse("203.0.113.9")));
        assertTrue(net.contains(net));
        assertFalse(net.contains(IpBlock.parse("203.0.114.9")));
        assertFalse(net.contains(IpBlock.parse("203.0.0.0/16")), "a wider block is not inside");
        assertFalse(net.contains(IpBlock.parse("::ffff:203.0.113.9")), "families never mix");
        assertEquals(net, IpBlock.parse("203.0.113.9").widen(24));
        assertEquals(net, net.widen(28), "widen never narrows");
        IpBlock six = IpBlock.parse("2001:db8:1:2::/64");
        assertTrue(six.contains(IpBlock.parse("2001:db8:1:2:ffff::1")));
        assertFalse(six.contains(IpBlock.parse("2001:db8:1:3::1")));
        assertEquals(six, IpBlock.parse("2001:db8:1:2:aaaa::1").widen(64));
        assertTrue(IpBlock.parse("::/0").contains(IpBlock.parse("2001:db8::1")));
        assertTrue(IpBlock.parse("0.0.0.0/0").contains(IpBlock.parse("255.1.2.3")));
    }

    @Test
    void equalityOrderAndFamilies() {
        assertEquals(IpBlock.parse("203.0.113.7/24"), IpBlock.parse("203.0.113.0/24"));
        assertNotEquals(IpBlock.parse("203.0.113.0/24"), IpBlock.parse("203.0.113.0/25"));
        assertNotEquals(IpBlock.parse("0.0.0.1"), IpBlock.parse("::1"));
        assertTrue(IpBlock.parse("9.0.0.0").compareTo(IpBlock.parse("10.0.0.0")) < 0);
        assertTrue(IpBlock.parse("200.0.0.0").compareTo(IpBlock.parse("10.0.0.0")) > 0, "unsigned order");
        assertTrue(IpBlock.parse("255.255.255.255").compareTo(IpBlock.parse("::")) < 0, "IPv4 before IPv6");
        assertTrue(IpBlock.parse("8000::").compareTo(IpBlock.parse("7fff::")) > 0);
    }

    @ParameterizedTest
    @CsvSource({
            "8.8.8.8, PUBLIC", "127.0.0.2, TEST_POINT_LISTED", "127.0.0.1, TEST_POINT_UNLISTED",
            "127.1.2.3, LOOPBACK", "10.1.1.1, PRIVATE", "172.16.0.1, PRIVATE", "172.32.0.1, PUBLIC",
            "192.168.1.1, PRIVATE", "169.254.1.1, LINK_LOCAL", "224.0.0.1, MULTICAST", "192.0.2.1, DOCUMENTATION",
            "198.51.100.1, DOCUMENTATION", "203.0.113.1, DOCUMENTATION", "100.64.0.1, SHARED", "0.1.2.3, RESERVED",
            "240.0.0.1, RESERVED", "2001:4860::8888, PUBLIC", "::1, LOOPBACK", "fd00::1, PRIVATE", "fe80::1, LINK_LOCAL",
            "ff02::1, MULTICAST", "2001:db8::1, DOCUMENTATION", "::, RESERVED", "::ffff:127.0.0.2, TEST_POINT_LISTED",
            "::ffff:10.0.0.1, PRIVATE", "4000::1, RESERVED",
    })
    void addressClasses(String ip, AddressClass expected) {
        assertEquals(expected, IpBlock.parse(ip).addressClass());
    }
}
