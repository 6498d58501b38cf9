package net.trustbl.gateway.filter;

import net.trustbl.gateway.support.TestConfigs;
import net.trustbl.gateway.transaction.Transaction;
import org.junit.jupiter.api.Test;

import static net.trustbl.gateway.support.FilterCalls.client;
import static net.trustbl.gateway.support.FilterCalls.now;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** RCPT: the recipient limit, the list of accepted recipients and one policy per transaction. */
class RecipientsFilterTest {

    private static final Verdict TOO_MANY = Verdict.tempfail(452, "4.5.3", "Too many recipients");
    private static final Verdict UNKNOWN = Verdict.reject(550, "5.1.1", "Recipient address rejected: user unknown");

    private final RecipientsFilter filter = new RecipientsFilter(TestConfigs.gateway(
            "gateway.limits.max-recipients", "2",
            "gateway.recipients.accept", "*@example.org,postmaster@example.net"));

    /** A transaction that already accepted {@code accepted}, now asked for {@code rcpt}. */
    private static Transaction rcpt(String rcpt, String... accepted) {
        Transaction tx = client("192.0.2.1");
        tx.mailFrom = "a@sender.test";
        tx.recipients.addAll(java.util.List.of(accepted));
        tx.rcpt = rcpt;
        return tx;
    }

    @Test
    void acceptedRecipientsPassCaseInsensitively() {
        assertEquals(Verdict.CONTINUE, now(filter, Stage.RCPT, rcpt("alice@example.org")));
        assertEquals(Verdict.CONTINUE, now(filter, Stage.RCPT, rcpt("Bob@EXAMPLE.ORG")));
        assertEquals(Verdict.CONTINUE, now(filter, Stage.RCPT, rcpt("postmaster@example.net")));
    }

    @Test
    void aRecipientOffTheListIsUnknown() {
        assertEquals(UNKNOWN, now(filter, Stage.RCPT, rcpt("alice@example.net")), "only postmaster at example.net");
        assertEquals(UNKNOWN, now(filter, Stage.RCPT, rcpt("alice@sub.example.org")), "*@example.org is not its subdomains");
    }

    @Test
    void theLimitCountsAcceptedRecipientsAndIsATemporaryRefusal() {
        assertEquals(Verdict.CONTINUE, now(filter, Stage.RCPT, rcpt("c@example.org", "a@example.org")), "the second of two");
        assertEquals(TOO_MANY, now(filter, Stage.RCPT, rcpt("c@example.org", "a@example.org", "b@example.org")));
        assertEquals(TOO_MANY, now(filter, Stage.RCPT, rcpt("nobody@elsewhere.test", "a@example.org", "b@example.org")),
                "the limit is said first: the sender sends the rest later, whatever they are");
    }

    @Test
    void aRecipientOfAnotherPolicyWaitsForItsOwnTransaction() {
        Transaction first = rcpt("ceo@example.org");
        first.rcptPolicy = "vip";
        assertEquals(Verdict.CONTINUE, now(filter, Stage.RCPT, first), "the first recipient sets the policy");

        Transaction mixed = rcpt("staff@example.org", "ceo@example.org");
        mixed.policy = "vip";
        mixed.rcptPolicy = "default";
        assertEquals(Verdict.tempfail(452, "4.5.3", "Recipient has a different policy, send it in a separate transaction"),
                now(filter, Stage.RCPT, mixed));
        mixed.rcptPolicy = "vip";
        assertEquals(Verdict.CONTINUE, now(filter, Stage.RCPT, mixed));
    }

    @Test
    void withoutAnAcceptListTheDownstreamDecidesWhoExists() {
        RecipientsFilter open = new RecipientsFilter(TestConfigs.gateway());
        assertEquals(Verdict.CONTINUE, now(open, Stage.RCPT, rcpt("anyone@anywhere.test")));
    }
}
