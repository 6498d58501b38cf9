package net.trustbl.gateway.proxy;

import io.vertx.core.Future;
import net.trustbl.gateway.smtp.Reply;
import org.jboss.logging.Logger;

import java.util.function.Supplier;

/**
 * The downstream connection of one client session, kept across its transactions: opened when a
 * transaction first needs it, dropped when its state is unknown, and QUIT when the client leaves.
 */
public final class DownstreamLink {

    private static final Logger LOG = Logger.getLogger(DownstreamLink.class);

    private final Supplier<Future<DownstreamConnection>> opener;
    private final long timeoutMillis;
    private final long dataTimeoutMillis;
    private DownstreamConnection connection;
    private boolean sessionClosed;

    public DownstreamLink(Supplier<Future<DownstreamConnection>> opener, long timeoutMillis, long dataTimeoutMillis) {
        this.opener = opener;
        this.timeoutMillis = timeoutMillis;
        this.dataTimeoutMillis = dataTimeoutMillis;
    }

    long timeout() {
        return timeoutMillis;
    }

    long dataTimeout() {
        return dataTimeoutMillis;
    }

    /** The open connection, or a new one; a connection that arrives after the client left is QUIT. */
    Future<DownstreamConnection> ensure() {
        if (connection != null && connection.usable()) {
            return Future.succeededFuture(connection);
        }
        return opener.get().onSuccess(ds -> {
            if (sessionClosed) {
                ds.quit();
            } else {
                connection = ds;
            }
        });
    }

    /** The connection when it is still usable, else null. */
    DownstreamConnection usable() {
        return connection != null && connection.usable() ? connection : null;
    }

    void drop() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    /** The downstream connection of this transaction is gone: the whole transaction must be retried. */
    Reply lost(String client) {
        // the transaction stays open (no 503 for the client's next RCPT): every further RCPT and the
        // DATA get the same 451 until the client starts over with RSET or a new session
        LOG.debugf("downstream connection lost mid-transaction for %s", client);
        drop();
        return Reply.of(451, "4.4.2", "Connection to the mail server behind the gateway was lost, try again later");
    }

    /** The client session ended: say QUIT to the downstream. */
    public void sessionClosed() {
        sessionClosed = true;
        if (connection != null) {
            connection.quit();
            connection = null;
        }
    }
}
