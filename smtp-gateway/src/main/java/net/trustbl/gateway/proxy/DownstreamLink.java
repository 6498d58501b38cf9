package net.trustbl.gateway.proxy;

import io.vertx.core.Future;
import net.trustbl.gateway.protocol.Reply;
import org.jboss.logging.Logger;

import java.util.function.Supplier;

/**
 * The downstream connection of one client session, kept across its transactions: opened when a
 * transaction first needs it, dropped when its state is unknown, and QUIT when the client leaves.
 */
public final class DownstreamLink {

    private static final Logger LOG = Logger.getLogger(DownstreamLink.class);

    private final Supplier<Future<DownstreamConnection>> opener;
    /** This event loop's idle connections (null: none are shared). */
    private final DownstreamCache cache;
    private final long timeoutMillis;
    private final long dataTimeoutMillis;
    private final boolean xforward;
    private final boolean xclient;
    private DownstreamConnection connection;
    private boolean sessionClosed;

    public DownstreamLink(Supplier<Future<DownstreamConnection>> opener, DownstreamCache cache, long timeoutMillis,
                          long dataTimeoutMillis, boolean xforward, boolean xclient) {
        this.opener = opener;
        this.cache = cache;
        this.xforward = xforward;
        this.xclient = xclient;
        this.timeoutMillis = timeoutMillis;
        this.dataTimeoutMillis = dataTimeoutMillis;
    }

    long timeout() {
        return timeoutMillis;
    }

    long dataTimeout() {
        return dataTimeoutMillis;
    }

    /**
     * The connection, ready for a MAIL in the client's name: told who the client is with XCLIENT
     * (once per connection; a connection told another identity is replaced) or XFORWARD (before
     * every MAIL, as it holds for one transaction), when enabled and offered.
     */
    Future<DownstreamConnection> ensureFor(ClientIdentity client) {
        return ensure().compose(ds -> {
            if (xclient && !ds.xclientAttributes().isEmpty()) {
                if (ds.announced() == null) {
                    return ds.xclient(client, timeoutMillis);
                }
                if (!ds.announced().equals(client)) {
                    drop();
                    return ensure().compose(fresh -> fresh.xclient(client, timeoutMillis));
                }
                return Future.succeededFuture(ds);
            }
            String cmd = xforward ? client.command("XFORWARD", ds.xforwardAttributes()) : null;
            if (cmd == null) {
                return Future.succeededFuture(ds);
            }
            Future<Reply> told = ds.command(cmd, timeoutMillis).onSuccess(r -> {
                if (!r.positive()) {
                    LOG.warnf("downstream refused XFORWARD (%s): check smtpd_authorized_xforward_hosts", r.firstLine());
                }
            });
            // with PIPELINING the MAIL goes out behind the XFORWARD without waiting for its answer
            // (as Postfix's own client sends them): one round trip less per message. A refused
            // XFORWARD only loses the client's identity, as before; a lost connection fails the MAIL.
            return ds.pipeliningOffered() ? Future.succeededFuture(ds) : told.map(r -> ds);
        });
    }

    /** The open connection, or a new one; a connection that arrives after the client left is QUIT. */
    Future<DownstreamConnection> ensure() {
        if (connection != null && connection.usable()) {
            return Future.succeededFuture(connection);
        }
        DownstreamConnection cached = cache == null ? null : cache.take();
        if (cached != null) {
            connection = cached;
            return Future.succeededFuture(cached);
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

    /**
     * Between transactions of an idle client: the downstream goes back to the cache (or is told
     * QUIT), the next transaction takes or opens one.
     */
    public void release() {
        giveBack();
    }

    /** The client session ended: the downstream goes back to the cache, or is told QUIT. */
    public void sessionClosed() {
        sessionClosed = true;
        giveBack();
    }

    private void giveBack() {
        if (connection != null) {
            if (cache != null) {
                cache.giveBack(connection, timeoutMillis); // it checks that no message is under way
            } else {
                connection.quit();
            }
            connection = null;
        }
    }
}
