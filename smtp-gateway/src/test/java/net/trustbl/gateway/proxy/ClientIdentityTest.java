package net.trustbl.gateway.proxy;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import net.trustbl.gateway.support.EventLoops;
import net.trustbl.gateway.support.FakeDownstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** XFORWARD and XCLIENT towards a real SMTP server: only offered attributes, xtext, XCLIENT then EHLO. */
class ClientIdentityTest {

    private Vertx vertx;
    private Context loop;
    private FakeDownstream downstream;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        loop = vertx.getOrCreateContext();
        downstream = new FakeDownstream();
    }

    @AfterEach
    void stop() throws Exception {
        downstream.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private DownstreamLink link(boolean xforward, boolean xclient) {
        return new DownstreamLink(() -> DownstreamConnection.open(vertx, vertx.createNetClient(), "127.0.0.1",
                downstream.port(), "gw.example.net", 5000), null, 5000, 5000, xforward, xclient);
    }

    private static ClientIdentity client() throws Exception {
        return new ClientIdentity("mail.example.org", InetAddress.getByName("45.67.89.10"), "ESMTP", "mail.example.org");
    }

    @Test
    void commandsCarryOnlyOfferedAttributesXtextEncoded() throws Exception {
        ClientIdentity odd = new ClientIdentity(null, InetAddress.getByName("2001:db8::1"), "SMTP", "a+b=c");
        assertEquals("XFORWARD NAME=[UNAVAILABLE] ADDR=IPV6:2001:db8:0:0:0:0:0:1 PROTO=SMTP HELO=a+2Bb+3Dc",
                odd.command("XFORWARD", Set.of("NAME", "ADDR", "PROTO", "HELO", "SOURCE")));
        assertEquals("XFORWARD ADDR=45.67.89.10", client().command("XFORWARD", Set.of("ADDR")));
        assertNull(client().command("XFORWARD", Set.of()));
    }

    @Test
    void xforwardIsSentBeforeEveryMailWhenOffered() throws Exception {
        downstream.offerXforward = true;
        ClientIdentity client = client();
        DownstreamLink link = link(true, false);
        // with PIPELINING the link does not wait for XFORWARD's answer; replies come in order, so once
        // a later command is answered the XFORWARD was taken. On the loop, as the gateway uses a link.
        EventLoops.onLoop(loop, () -> link.ensureFor(client).compose(ds -> ds.command("RSET", 10_000)));
        assertTrue(downstream.commands.contains("XFORWARD NAME=mail.example.org ADDR=45.67.89.10 PROTO=ESMTP HELO=mail.example.org"),
                downstream.commands.toString());
    }

    @Test
    void xclientWhenConfiguredThenEhloInTheClientsName() throws Exception {
        downstream.offerXforward = true;
        downstream.offerXclient = true;
        ClientIdentity client = client();
        DownstreamLink link = link(true, true);
        DownstreamConnection ds = EventLoops.onLoop(loop, () -> link.ensureFor(client));
        List<String> cmds = downstream.commands;
        int x = cmds.indexOf("XCLIENT NAME=mail.example.org ADDR=45.67.89.10 PROTO=ESMTP HELO=mail.example.org");
        assertTrue(x > 0, cmds.toString());
        assertEquals("EHLO mail.example.org", cmds.get(x + 1), "the session starts over after XCLIENT");
        assertTrue(cmds.stream().noneMatch(c -> c.startsWith("XFORWARD")), "XCLIENT replaces XFORWARD: " + cmds);
        assertEquals(client(), ds.announced());
    }
}
