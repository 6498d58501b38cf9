package net.trustbl.dns.server;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import net.trustbl.dns.zone.ZoneRecords;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Sends NOTIFY (RFC 1996) to the configured secondaries when the serial changes: one background
 * thread, changes that arrive while a round is running are folded into the next round, each
 * target retried up to 3 times with a 1 s timeout.
 */
final class NotifySender implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(NotifySender.class.getName());

    private final List<InetSocketAddress> targets;
    /** One NOTIFY per zone name and target: a secondary may transfer any of the names. */
    private final List<ZoneRecords> zones;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dns-notify");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong wanted = new AtomicLong(-1);
    private final AtomicLong sentNotifies = new AtomicLong();
    private final AtomicLong ackedNotifies = new AtomicLong();

    NotifySender(List<InetSocketAddress> targets, List<ZoneRecords> zones) {
        this.targets = targets;
        this.zones = List.copyOf(zones);
    }

    long sent() {
        return sentNotifies.get();
    }

    long acked() {
        return ackedNotifies.get();
    }

    void serialChanged(long serial) {
        if (targets.isEmpty()) {
            return;
        }
        if (wanted.getAndSet(serial) == -1) {
            executor.execute(this::round);
        }
    }

    private void round() {
        long serial = wanted.getAndSet(-1);
        if (serial == -1) {
            return;
        }
        for (InetSocketAddress t : targets) {
            for (ZoneRecords z : zones) {
                notifyOne(t, z, serial);
            }
        }
    }

    private void notifyOne(InetSocketAddress target, ZoneRecords records, long serial) {
        Message m = new Message();
        m.getHeader().setOpcode(Opcode.NOTIFY);
        m.getHeader().setFlag(Flags.AA);
        m.addRecord(Record.newRecord(records.zone(), Type.SOA, DClass.IN), Section.QUESTION);
        m.addRecord(records.soa(serial), Section.ANSWER);
        byte[] wire = m.toWire();
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(1000);
            for (int attempt = 0; attempt < 3; attempt++) {
                s.send(new DatagramPacket(wire, wire.length, target));
                sentNotifies.incrementAndGet();
                byte[] buf = new byte[1500];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    while (true) {
                        s.receive(p);
                        if (p.getLength() >= 12 && buf[0] == wire[0] && buf[1] == wire[1] && (buf[2] & 0x80) != 0) {
                            ackedNotifies.incrementAndGet();
                            return;
                        }
                    }
                } catch (SocketTimeoutException e) {
                    // retry
                }
            }
        } catch (Exception e) {
            LOG.log(Level.FINE, "NOTIFY for " + records.zone() + " to " + target + " failed", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
