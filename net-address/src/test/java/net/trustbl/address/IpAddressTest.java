package net.trustbl.address;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpAddressTest {

    @ParameterizedTest
    @CsvSource({
            "192.0.2.1, 192.0.2.1",
            "0.0.0.0, 0.0.0.0",
            "255.255.255.255, 255.255.255.255",
            "2001:DB8:0:0::1, 2001:db8::1",
            "::, ::",
            "::1, ::1",
            "::ffff:192.0.2.1, ::ffff:192.0.2.1",
            "::ffff:c000:201, ::ffff:192.0.2.1",
            "1:0:0:2:0:0:0:3, 1:0:0:2::3",
            "64:ff9b::192.0.2.33, 64:ff9b::c000:221"})
    void parsesAndFormatsCanonically(String in, String canonical) {
        assertEquals(canonical, IpAddress.parse(in).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"01.2.3.4", "1.2.3.04", "010.0.0.1", "1.2.3", "1.2.3.4.5", "1.2.3.4.", "256.1.1.1",
            "1.2.3.1000", "1..2.3", "1.2.3.-4", "192.0.2.0/24", "example.org", "1::2::3", "1:2:3:4:5:6:7:8:9",
            "12345::", "::g", ":1::", "1.2.3.4::", "::ffff:01.2.3.4", "１.2.3.4", "1:2:3:4:5:6:7::8"})
    void rejectsMalformedAddresses(String in) {
        assertThrows(IllegalArgumentException.class, () -> IpAddress.parse(in));
    }

    @Test
    void rejectsOverlongAndEmptyInputWithoutEchoingAllOfIt() {
        String huge = "1".repeat(5000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpAddress.parse(huge));
        assertTrue(e.getMessage().length() < 100, e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IpAddress.parse(" "));
        assertThrows(IllegalArgumentException.class, () -> IpAddress.parse(null));
    }

    @Test
    void leadingZerosOnlyWhereTheyWereAlwaysRead() {
        assertEquals(-1, IpAddress.parseV4("010.0.0.1"));
        assertEquals(0x0a000001L, IpAddress.parseV4AllowingLeadingZeros("010.0.0.1"));
        assertEquals(0xc0000201L, IpAddress.parseV4("192.0.2.1"));
        assertNull(IpAddress.parseV6("1:2:3"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.1", "0.0.0.0", "2001:db8::1", "::", "fe80::1:2:3:4"})
    void bytesRoundTripAsTheJdkSeesThem(String text) throws Exception {
        IpAddress a = IpAddress.parse(text);
        byte[] jdk = InetAddress.getByName(text).getAddress();
        assertArrayEquals(jdk, a.toBytes());
        assertEquals(a, IpAddress.fromBytes(jdk));
    }

    @Test
    void fromBytesRefusesOtherLengths() {
        assertThrows(IllegalArgumentException.class, () -> IpAddress.fromBytes(new byte[5]));
    }

    @Test
    void reversedQueryLabelsBothWays() {
        IpAddress v4 = IpAddress.parse("192.0.2.1");
        assertEquals("1.2.0.192", v4.reversedName());
        assertEquals(v4, IpAddress.fromReversedLabels("1", "2", "0", "192"));
        IpAddress v6 = IpAddress.parse("2001:db8::567:89ab");
        assertEquals("b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2", v6.reversedName());
        assertEquals(v6, IpAddress.fromReversedLabels(v6.reversedName().split("\\.")));
        assertThrows(IllegalArgumentException.class, () -> IpAddress.fromReversedLabels("01", "2", "0", "192"));
        assertThrows(IllegalArgumentException.class, () -> IpAddress.fromReversedLabels("1", "2", "0"));
        assertThrows(IllegalArgumentException.class, () -> IpAddress.fromReversedLabels("256", "2", "0", "1"));
    }

    @Test
    void octetAndNibbleLabels() {
        assertTrue(IpAddress.isOctetLabel("0"));
        assertTrue(IpAddress.isOctetLabel("255"));
        assertFalse(IpAddress.isOctetLabel("256"));
        assertFalse(IpAddress.isOctetLabel("00"));
        assertFalse(IpAddress.isOctetLabel(""));
        assertFalse(IpAddress.isOctetLabel("1.2"));
        assertTrue(IpAddress.isNibbleLabel("F"));
        assertFalse(IpAddress.isNibbleLabel("10"));
    }

    @Test
    void mappedAddressesAndNetworks() {
        IpAddress mapped = IpAddress.parse("::ffff:198.51.100.7");
        assertTrue(mapped.isV4Mapped());
        assertFalse(IpAddress.parse("198.51.100.7").isV4Mapped());
        assertEquals("::ffff:c633:6407", IpAddress.formatV6Hex(mapped.hi(), mapped.lo()));
        assertEquals("198.51.100.0/24", IpAddress.parse("198.51.100.7").network().toString());
        assertEquals("2001:db8:1:2::/64", IpAddress.parse("2001:db8:1:2:3::4").network().toString());
        assertTrue(IpBlock.parse("198.51.100.0/24").contains(IpAddress.parse("198.51.100.255")));
        assertFalse(IpBlock.parse("198.51.100.0/24").contains(IpAddress.parse("198.51.101.0")));
        assertEquals(IpBlock.parse("203.0.113.9"), IpAddress.parse("203.0.113.9").block());
        assertEquals(IpAddress.parse("203.0.113.0"), IpBlock.parse("203.0.113.9/24").address());
    }

    @ParameterizedTest
    @CsvSource({"'', 32", "33, 32", "129, 128", "-1, 32", "1a, 32", "0032, 32", "+8, 32"})
    void badPrefixLengths(String prefix, int max) {
        assertEquals(-1, IpBlock.prefixLength(prefix, max));
        String family = max == 32 ? "192.0.2.0/" : "2001:db8::/";
        assertThrows(IllegalArgumentException.class, () -> IpBlock.parse(family + prefix));
    }

    @Test
    void goodPrefixLengths() {
        assertEquals(0, IpBlock.prefixLength("0", 32));
        assertEquals(128, IpBlock.prefixLength("128", 128));
        assertEquals("2001:db8::/32", IpBlock.parse("2001:db8:ffff::/32").toString());
    }

    @Test
    void returnCodesAndTheirAnswers() {
        assertEquals("127.0.0.4", ReturnCode.PERSONAL_DENY.address());
        assertEquals("127.0.10.1", ReturnCode.VOUCHED.address());
        assertEquals(ReturnCode.LISTED_WITH_TRAP_HITS, ReturnCode.of(ReturnCode.Zone.BLOCK, 3));
        assertEquals(ReturnCode.MODERATOR, ReturnCode.of(ReturnCode.Zone.ALLOW, 3));
        assertNull(ReturnCode.of(ReturnCode.Zone.BLOCK, 1));
        assertEquals("127.0.0.2", ReturnCode.listedAddress(2));
        assertNull(ReturnCode.trustedAddress(0));
    }
}
