package net.trustbl.gateway.proxy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;

/**
 * Who the client really is, told to the downstream so its logs, Received line, SPF and (with
 * XCLIENT) its restrictions see the client and not the gateway: Postfix's XFORWARD and XCLIENT
 * attributes NAME, ADDR, PROTO and HELO, xtext-encoded, only those the downstream offered.
 */
public record ClientIdentity(String name, InetAddress address, String proto, String helo) {

    private static final List<String> ORDER = List.of("NAME", "ADDR", "PROTO", "HELO");

    /** "XFORWARD NAME=… ADDR=…" or "XCLIENT …" with the offered attributes; null when none is offered. */
    public String command(String verb, Set<String> offered) {
        StringBuilder sb = new StringBuilder(verb);
        for (String attr : ORDER) {
            if (offered.contains(attr)) {
                sb.append(' ').append(attr).append('=').append(xtext(value(attr)));
            }
        }
        return sb.length() == verb.length() ? null : sb.toString();
    }

    private String value(String attr) {
        return switch (attr) {
            case "NAME" -> name == null ? "[UNAVAILABLE]" : name;
            case "ADDR" -> address instanceof Inet6Address ? "IPV6:" + address.getHostAddress() : address.getHostAddress();
            case "PROTO" -> proto;
            default -> helo == null ? "[UNAVAILABLE]" : helo;
        };
    }

    /** RFC 1891 xtext: "+", "=" and anything outside printable ASCII become +XX. */
    static String xtext(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '+' || c == '=') {
                sb.append('+').append(String.format("%02X", (int) c & 0xff));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
