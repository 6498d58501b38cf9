package net.trustbl.gateway.dns;

import java.util.List;

/**
 * Result of one DNS question. FOUND has records (A as dotted quads, TXT as joined strings, MX as
 * exchange names); NXDOMAIN and NODATA are definite negatives; FAILED is SERVFAIL, REFUSED or a
 * timeout (never cached for long, never taken as "not listed" by a fail-closed caller).
 */
public record DnsAnswer(Status status, List<String> records) {

    public enum Status { FOUND, NXDOMAIN, NODATA, FAILED }

    public static final DnsAnswer FAILED = new DnsAnswer(Status.FAILED, List.of());

    public boolean found() {
        return status == Status.FOUND;
    }

    public boolean failed() {
        return status == Status.FAILED;
    }
}
