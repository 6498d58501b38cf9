package net.trustbl.gateway.support;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A UDP DNS server on loopback answering from a table (name → A addresses, TXT). Names without an
 * entry are NXDOMAIN, names under "dnsfail" or listed in {@link #silent} get no answer at all
 * (a timeout for the client).
 */
public final class FakeDns implements AutoCloseable {

    public final Map<String, String[]> a = new ConcurrentHashMap<>();
    public final Map<String, String> txt = new ConcurrentHashMap<>();
    /** name → PTR target (reverse names such as "10.2.0.192.in-addr.arpa"). */
    public final Map<String, String> ptr = new ConcurrentHashMap<>();
    /** name → MX host. */
    public final Map<String, String> mx = new ConcurrentHashMap<>();
    public final Map<String, Boolean> silent = new ConcurrentHashMap<>();
    public final AtomicInteger queries = new AtomicInteger();
    private final DatagramSocket socket;

    public FakeDns() throws IOException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::loop, "fake-dns");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void loop() {
        byte[] buf = new byte[1500];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                queries.incrementAndGet();
                Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                Record question = q.getQuestion();
                String name = question.getName().toString(true).toLowerCase();
                if (name.contains("dnsfail") || silent.containsKey(name)) {
                    continue;
                }
                Message r = new Message(q.getHeader().getID());
                r.getHeader().setFlag(Flags.QR);
                r.getHeader().setFlag(Flags.AA);
                r.addRecord(question, Section.QUESTION);
                Name n = question.getName();
                String[] addrs = a.get(name);
                String text = txt.get(name);
                String ptrTarget = ptr.get(name);
                String mxHost = mx.get(name);
                if (addrs == null && text == null && ptrTarget == null && mxHost == null) {
                    r.getHeader().setRcode(Rcode.NXDOMAIN);
                    r.addRecord(new SOARecord(Name.fromString("test."), DClass.IN, 60, Name.fromString("ns.test."),
                            Name.fromString("h.test."), 1, 60, 60, 60, 60), Section.AUTHORITY);
                } else if (question.getType() == Type.A && addrs != null) {
                    for (String ad : addrs) {
                        r.addRecord(new ARecord(n, DClass.IN, 60, InetAddress.getByName(ad)), Section.ANSWER);
                    }
                } else if (question.getType() == Type.TXT && text != null) {
                    r.addRecord(new TXTRecord(n, DClass.IN, 60, text), Section.ANSWER);
                } else if (question.getType() == Type.PTR && ptrTarget != null) {
                    r.addRecord(new org.xbill.DNS.PTRRecord(n, DClass.IN, 60, Name.fromString(ptrTarget + ".")), Section.ANSWER);
                } else if (question.getType() == Type.MX && mxHost != null) {
                    r.addRecord(new org.xbill.DNS.MXRecord(n, DClass.IN, 60, 10, Name.fromString(mxHost + ".")), Section.ANSWER);
                }
                byte[] out = r.toWire();
                socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
