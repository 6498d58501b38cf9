package net.trustbl.dns.server;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
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
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/**
 * Sends NOTIFY (RFC 1996) to the configured secondaries when the serial changes: one background
 * thread, changes that arrive while a round is running are folded into the next round, each
 * target retried up to 3 times with a 1 s timeout, 3 s in all per target and zone name. Signed
 * with the TSIG key when there is one; only the target's own answer counts as an ack.
 */
final class NotifySender implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(NotifySender.class.getName());
    private static final int TRIES = 3;
    private static final long TRY_MILLIS = 1000;

    private final List<InetSocketAddress> targets;
    /** One NOTIFY per zone name and target: a secondary may transfer any of the names. */
    private final List<ZoneRecords> zones;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dns-notify");
        t.setDaemon(true);
        return t;
    });
    /** Signs every NOTIFY when set: a follower with the key refuses unsigned ones. */
    private final TSIG tsig;
    private final AtomicLong wanted = new AtomicLong(-1);
    private final AtomicLong sentNotifies = new AtomicLong();
    private final AtomicLong ackedNotifies = new AtomicLong();

    NotifySender(List<InetSocketAddress> targets, List<ZoneRecords> zones, TSIG tsig) {
        this.targets = targets;
        this.zones = List.copyOf(zones);
        this.tsig = tsig;
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
        if (tsig != null) {
            m.setTSIG(tsig);
        }
        byte[] wire = m.toWire(512); // the sized toWire signs; a NOTIFY is far below 512 bytes
        TSIGRecord sent = tsig == null ? null : signature(wire);
        long deadline = System.nanoTime() + TRIES * TRY_MILLIS * 1_000_000L;
        try (DatagramSocket s = new DatagramSocket()) {
            for (int attempt = 0; attempt < TRIES; attempt++) {
                s.send(new DatagramPacket(wire, wire.length, target));
                sentNotifies.incrementAndGet();
                long tryEnds = Math.min(deadline, System.nanoTime() + TRY_MILLIS * 1_000_000L);
                if (awaitAck(s, target, wire, sent, tryEnds)) {
                    ackedNotifies.incrementAndGet();
                    return;
                }
            }
        } catch (Exception e) {
            LOG.log(Level.FINE, "NOTIFY for " + records.zone() + " to " + target + " failed", e);
        }
    }

    /**
     * Waits until {@code until} (a fixed point: whatever reaches the socket meanwhile does not
     * extend it) for the target's answer to {@code wire}. Anything else is ignored: packets from
     * another address or port (anyone can send to our port), another id, not a NOTIFY response,
     * or, with a key, an answer whose signature does not verify.
     */
    private boolean awaitAck(DatagramSocket s, InetSocketAddress target, byte[] wire, TSIGRecord sent, long until)
            throws java.io.IOException {
        byte[] buf = new byte[1500];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (true) {
            long left = (until - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return false;
            }
            s.setSoTimeout((int) left);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return false;
            }
            if (p.getPort() == target.getPort() && p.getAddress().equals(target.getAddress())
                    && isAnswer(Arrays.copyOf(buf, p.getLength()), wire, sent)) {
                return true;
            }
        }
    }

    private boolean isAnswer(byte[] reply, byte[] wire, TSIGRecord sent) {
        if (reply.length < 12 || reply[0] != wire[0] || reply[1] != wire[1] || (reply[2] & 0x80) == 0
                || ((reply[2] >> 3) & 0xf) != Opcode.NOTIFY) {
            return false;
        }
        if (tsig == null) {
            return true;
        }
        try {
            Message r = new Message(reply);
            return r.getTSIG() != null && tsig.verify(r, reply, sent) == Rcode.NOERROR;
        } catch (Exception e) {
            return false;
        }
    }

    private static TSIGRecord signature(byte[] wire) {
        try {
            return new Message(wire).getTSIG();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("our own NOTIFY does not parse", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
