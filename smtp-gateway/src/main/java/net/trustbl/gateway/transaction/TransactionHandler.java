package net.trustbl.gateway.transaction;

import io.vertx.core.Future;
import net.trustbl.gateway.protocol.EsmtpParameters;
import net.trustbl.gateway.protocol.Reply;

/**
 * What happens to one mail transaction once the local filters of a stage have passed it: relayed
 * in step to the downstream (proxy mode) or handed to the trust-service (intake mode). One handler
 * per transaction, made at MAIL and dropped at its end (in the spirit of SubEthaSMTP's
 * {@code MessageHandler}). Every future completes with a reply; a failure is mapped to a 4xx inside.
 * Called on the session's event loop only.
 */
public interface TransactionHandler {

    /** MAIL FROM passed the filters; a positive reply opens the transaction. */
    Future<Reply> mail(String address, EsmtpParameters.Mail params);

    /** RCPT TO passed the filters; a positive reply adds the recipient. */
    Future<Reply> rcpt(String address, EsmtpParameters.Rcpt params);

    /** Null when the client may send the message; otherwise the reply refusing DATA. */
    Reply beforeData();

    /** The end-of-data filters passed: deliver the message; the reply goes to the client as is. */
    Future<Reply> deliver(Transaction tx);

    /** The transaction ends without delivery (RSET, a new HELO, a refusal at end of data). */
    void abort();
}
