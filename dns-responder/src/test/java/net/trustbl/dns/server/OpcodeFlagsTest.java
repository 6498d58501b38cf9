package net.trustbl.dns.server;

import net.trustbl.dns.config.DnsConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.ZoneData;
import net.trustbl.dns.traffic.TrafficCounters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * RD is defined for QUERY only (RFC 1035 4.1.1): a reply to any other opcode must not copy it
 * (ISC genreport's {@code opcodeflg=rd}). Both paths: the fast path leaves non-QUERY opcodes to the
 * general one, and the header-only answers (FORMERR for a message that does not parse) are checked too.
 */
class OpcodeFlagsTest {

    private Responder responder;
    private FastPath fast;
    private final InetAddress client = InetAddress.getLoopbackAddress();

    @BeforeEach
    void setUp() {
        ZoneData d = new ZoneData();
        d.replaceAll(7, List.of(new ListingRecord("192.0.2.1", 2, 1f)));
        DnsConfig config = DnsConfig.builder().bind("127.0.0.1", 0).build();
        ServerContext ctx = new ServerContext(config, d, new DnsMetrics(), new TrafficCounters());
        responder = new Responder(ctx, ctx.metrics.newStripe(), ctx.traffic.newStripe());
        fast = responder.fast();
    }

    private static byte[] query(int opcode, boolean rd) throws Exception {
        Message q = Message.newQuery(Record.newRecord(Name.fromString("1.2.0.192.bl.trustbl.test."), Type.A, DClass.IN));
        q.getHeader().setOpcode(opcode);
        if (rd) {
            q.getHeader().setFlag(Flags.RD);
        } else {
            q.getHeader().unsetFlag(Flags.RD);
        }
        return q.toWire();
    }

    private Message answer(byte[] q) throws Exception {
        byte[] out = new byte[65536];
        int n = responder.handle(q, q.length, out, false, client);
        assertTrue(n > 0, "an answer");
        return new Message(Arrays.copyOf(out, n));
    }

    @Test
    void unknownOpcodesGetNotimpWithoutRd() throws Exception {
        for (int opcode : new int[] {1, 2, 3, 6, 7, 15}) {
            byte[] q = query(opcode, true);
            assertEquals(FastPath.NOT_HANDLED, fast.answer(q, q.length, new byte[65536], false), "opcode " + opcode);
            Message r = answer(q);
            assertEquals(Rcode.NOTIMP, r.getRcode(), "opcode " + opcode);
            assertEquals(opcode, r.getHeader().getOpcode());
            assertFalse(r.getHeader().getFlag(Flags.RD), "RD copied for opcode " + Opcode.string(opcode));
        }
    }

    @Test
    void queryStillCopiesRdOnBothPaths() throws Exception {
        byte[] q = query(Opcode.QUERY, true);
        byte[] out = new byte[65536];
        int n = fast.answer(q, q.length, out, false);
        assertTrue(n > 0, "the fast path answers a plain A query");
        assertTrue(new Message(Arrays.copyOf(out, n)).getHeader().getFlag(Flags.RD));
        n = responder.general().answer(q, q.length, out, false, client);
        assertTrue(new Message(Arrays.copyOf(out, n)).getHeader().getFlag(Flags.RD));
        assertFalse(answer(query(Opcode.QUERY, false)).getHeader().getFlag(Flags.RD));
    }

    @Test
    void headerOnlyAnswersCopyRdForQueryOnly() throws Exception {
        for (int opcode : new int[] {Opcode.QUERY, 15}) {
            // a question count of 1 with a name cut short: FORMERR from the raw header
            byte[] q = Arrays.copyOf(query(opcode, true), 16);
            Message r = answer(q);
            assertEquals(Rcode.FORMERR, r.getRcode());
            assertEquals(opcode, r.getHeader().getOpcode());
            assertEquals(opcode == Opcode.QUERY, r.getHeader().getFlag(Flags.RD), "opcode " + opcode);
        }
    }
}
