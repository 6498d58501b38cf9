package net.trustbl.listing;

import net.trustbl.address.IpBlock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reverse DNS for the lookup page, against a small DNS server on loopback. */
class ReverseDnsTest {

    private DatagramSocket socket;
    private Thread server;
    private final AtomicInteger queries = new AtomicInteger();

    /** 192.0.2.10 → mail.example.test → 192.0.2.10 (confirmed); 192.0.2.11 → liar.example.test → 198.51.100.1; others: NXDOMAIN. */
    @BeforeEach
    void startServer() throws Exception {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server = new Thread(() -> {
            byte[] buf = new byte[512];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    queries.incrementAndGet();
                    Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                    Message r = answer(q);
                    byte[] out = r.toWire();
                    socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                } catch (Exception e) {
                    return;
                }
            }
        });
        server.setDaemon(true);
        server.start();
    }

    private static Message answer(Message q) throws Exception {
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        Record question = q.getQuestion();
        r.addRecord(question, Section.QUESTION);
        String name = question.getName().toString();
        if (question.getType() == Type.PTR && name.equals("10.2.0.192.in-addr.arpa.")) {
            r.addRecord(new PTRRecord(question.getName(), DClass.IN, 60, Name.fromString("mail.example.test.")), Section.ANSWER);
        } else if (question.getType() == Type.PTR && name.equals("11.2.0.192.in-addr.arpa.")) {
            r.addRecord(new PTRRecord(question.getName(), DClass.IN, 60, Name.fromString("liar.example.test.")), Section.ANSWER);
        } else if (question.getType() == Type.A && name.equals("mail.example.test.")) {
            r.addRecord(new ARecord(question.getName(), DClass.IN, 60, InetAddress.getByName("192.0.2.10")), Section.ANSWER);
        } else if (question.getType() == Type.A && name.equals("liar.example.test.")) {
            r.addRecord(new ARecord(question.getName(), DClass.IN, 60, InetAddress.getByName("198.51.100.1")), Section.ANSWER);
        } else {
            r.getHeader().setRcode(Rcode.NXDOMAIN);
        }
        return r;
    }

    @AfterEach
    void stopServer() {
        socket.close();
    }

    private ReverseDns reverseDns(double perSecond) throws Exception {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort()));
        return new ReverseDns(resolver, Duration.ofSeconds(2), Duration.ofMinutes(5), perSecond);
    }

    @Test
    void aNameThatResolvesBackIsConfirmedAndOneThatDoesNotIsNot() throws Exception {
        ReverseDns dns = reverseDns(100);
        ReverseDns.Result good = dns.lookup(IpBlock.parse("192.0.2.10")).orElseThrow();
        assertEquals("mail.example.test", good.name());
        assertTrue(good.forwardConfirmed());
        ReverseDns.Result liar = dns.lookup(IpBlock.parse("192.0.2.11")).orElseThrow();
        assertEquals("liar.example.test", liar.name());
        assertFalse(liar.forwardConfirmed());
        assertNull(dns.lookup(IpBlock.parse("192.0.2.12")).orElseThrow().name(), "no PTR: known to have none");
        assertTrue(dns.lookup(IpBlock.parse("192.0.2.0/24")).isEmpty(), "blocks have no reverse name");
    }

    @Test
    void answersAreCachedAndUncachedQueriesAreRateLimited() throws Exception {
        ReverseDns dns = reverseDns(1);
        dns.lookup(IpBlock.parse("192.0.2.10")).orElseThrow();
        int asked = queries.get();
        for (int i = 0; i < 50; i++) {
            dns.lookup(IpBlock.parse("192.0.2.10")).orElseThrow();
        }
        assertEquals(asked, queries.get(), "a cached answer asks nothing");
        int answered = 0;
        for (int i = 20; i < 70; i++) {
            if (dns.lookup(IpBlock.parse("192.0.2." + i)).isPresent()) {
                answered++;
            }
        }
        assertTrue(answered <= 3, "at 1 query/s (burst 2) a flood of fresh addresses is mostly left out: " + answered);
    }
}
