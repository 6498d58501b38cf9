package net.trustbl.evidence;

import java.util.List;

import net.trustbl.address.AddressClass;
import net.trustbl.address.IpBlock;

/**
 * Finds the host that handed a message to the member's mail system.
 *
 * <p>Walks the Received lines from the top: each line was written by the receiving host, so a
 * line can be believed only while its writer is trusted. The walk passes every hop whose
 * sending host is a registered mail host, and every internal hop (private, loopback,
 * link-local, shared address space: the member's own network); the first address handed over
 * by any other host is the source. Lines below it were written by that host or by hosts it
 * talked to, so they may be forged and are never read.
 *
 * <p>Without registered mail hosts the first outside address is still taken, but nothing shows
 * that the top line's writer belongs to the member, so the evidence counts half
 * (rule {@code top-hop}, strength 0.5). The same holds when mail hosts are registered but none
 * of them appears in the chain.
 */
final class ReceivedWalker {

    static final String RULE_MAILHOST_WALK = "mailhost-walk";
    static final String RULE_TOP_HOP = "top-hop";
    static final double STRONG = 1.0;
    static final double WEAK = 0.5;

    /** A walk through more hops than this is hostile or broken; real chains have fewer than 20. */
    static final int MAX_HOPS = 100;

    private ReceivedWalker() {
    }

    /** Either a source (address, hop, rule, strength) or an error reason. */
    record Result(IpBlock source, ReceivedHop hop, String rule, double strength, String note, String error) {

        boolean ok() {
            return error == null;
        }

        static Result failed(String error) {
            return new Result(null, null, null, 0, null, error);
        }
    }

    static Result walk(List<String> receivedValues, Mailhosts trusted) {
        if (receivedValues.isEmpty()) {
            return Result.failed("no Received headers: cannot tell which host sent the message");
        }
        boolean registered = !trusted.isEmpty();
        boolean chainTouched = false;
        ReceivedHop lastInternal = null;
        int n = Math.min(receivedValues.size(), MAX_HOPS);
        for (int i = 0; i < n; i++) {
            ReceivedHop hop = ReceivedParser.parse(i + 1, receivedValues.get(i));
            if (registered && (trusted.matchesName(hop.byName()) || trusted.containsAddress(hop.byAddress()))) {
                chainTouched = true;
            }
            switch (hop.kind()) {
                case LOCAL:
                    continue;
                case MALFORMED:
                    if (trusted.matchesName(hop.helo())) {
                        // "from mx1.member.example by store..." and nothing else: the writer records no
                        // connections at all (an internal hand-off); the parser keeps the name only then
                        continue;
                    }
                    // a hop we trust wrote something we cannot read: nothing below it can be believed,
                    // whatever HELO it shows (the sender's claim: a spammer's line above a forged one)
                    return Result.failed(hop.problem());
                case HANDOVER:
                default:
                    break;
            }
            IpBlock from = hop.fromAddress();
            if (trusted.containsAddress(from) || trusted.matchesName(hop.rdns())) {
                chainTouched = true;
                continue;
            }
            AddressClass cls = AddressClass.of(from);
            if (isInternal(cls)) {
                lastInternal = hop;
                continue;
            }
            if (hop.authenticated()) {
                // a logged-in user submitted this: the member's own forward or a compromised account,
                // never the delivery of a spam to the member
                return Result.failed("Received header #" + hop.position() + ": sent by a logged-in user from " + from
                        + " (mail submission, not delivery); to report a spam you received, attach it to your mail");
            }
            if (registered && !hop.rdnsRecorded() && trusted.matchesName(hop.helo())) {
                // Exchange lines name the sender only by its HELO; a HELO is the sender's claim, so it
                // cannot extend the trust, but taking that host as the source would blame the member's
                // own provider (a big shared sender) at full strength. Ask for the address instead.
                return Result.failed("Received header #" + hop.position() + ": the sending host calls itself "
                        + hop.helo() + " (a registered mail host name) but its address " + from
                        + " is not registered; add the address ranges of your mail hosts");
            }
            if (cls.rejection() != null) {
                return Result.failed("source " + from + " (Received header #" + hop.position() + "): " + cls.rejection());
            }
            if (!registered) {
                return new Result(from, hop, RULE_TOP_HOP, WEAK,
                        "no mail hosts registered: the top hop was used (register your mail hosts for full-strength reports)",
                        null);
            }
            if (!chainTouched) {
                return new Result(from, hop, RULE_TOP_HOP, WEAK,
                        "none of the registered mail hosts appears in the Received chain; the top hop was used", null);
            }
            return new Result(from, hop, RULE_MAILHOST_WALK, STRONG, null, null);
        }
        if (lastInternal != null) {
            IpBlock a = lastInternal.fromAddress();
            return Result.failed("source " + a + " (Received header #" + lastInternal.position() + "): "
                    + rejectionOf(a));
        }
        if (registered && chainTouched) {
            return Result.failed("every Received hop is one of the registered mail hosts: no outside sender found");
        }
        return Result.failed("no Received header names a sender address");
    }

    /** Hops inside a network (the member's own): passed, never reported. */
    private static boolean isInternal(AddressClass cls) {
        return switch (cls) {
            case PRIVATE, LOOPBACK, LINK_LOCAL, SHARED, TEST_POINT_LISTED, TEST_POINT_UNLISTED -> true;
            default -> false;
        };
    }

    private static String rejectionOf(IpBlock a) {
        String r = AddressClass.of(a).rejection();
        return r != null ? r : "internal addresses cannot be reported";
    }
}
