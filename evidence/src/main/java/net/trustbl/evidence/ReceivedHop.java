package net.trustbl.evidence;

import java.time.Instant;

import net.trustbl.address.IpBlock;

/**
 * One Received line, as far as the walk cares: who handed the message over (address, HELO,
 * reverse DNS as recorded by the receiving host), who received it, and when.
 *
 * @param position     1 = the top Received line
 * @param kind         what the line tells the walk
 * @param fromAddress  the connecting address recorded by the receiver; null unless HANDOVER
 * @param helo         the name the sender gave in HELO/EHLO; may be null
 * @param rdns         the sender's reverse DNS as verified by the receiver; null when unknown
 * @param byName       the receiving host's name; may be null
 * @param byAddress    the receiving host's address when the line names one (Exchange does); may be null
 * @param time         the receiver's timestamp; null when missing or unparseable
 * @param problem      why the line is MALFORMED; null otherwise
 * @param rdnsRecorded whether the line's format records reverse DNS at all (Microsoft's does not,
 *                     so there a missing rdns says nothing about the sender)
 * @param authenticated the sender logged in (RFC 3848 ESMTPA/ESMTPSA, "Authenticated sender"):
 *                     a user submitting mail, not a host delivering it
 */
record ReceivedHop(int position, Kind kind, IpBlock fromAddress, String helo, String rdns,
                   String byName, IpBlock byAddress, Instant time, String problem, boolean rdnsRecorded,
                   boolean authenticated) {

    enum Kind {
        /** A host at {@code fromAddress} handed the message to the receiver. */
        HANDOVER,
        /** Local delivery step without a network peer (pickup, LMTP over a socket, qmail "invoked"). */
        LOCAL,
        /** Not a Received line the walk can trust to say anything. */
        MALFORMED
    }
}
