package net.trustbl.gateway.filter;

import net.trustbl.gateway.support.FilterFixture;
import net.trustbl.gateway.support.TestConfigs;
import net.trustbl.gateway.transaction.MessageContent;
import net.trustbl.gateway.transaction.Transaction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static net.trustbl.gateway.support.FilterCalls.client;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The external checker: the message spooled to a file, the envelope as arguments, the exit code decides. */
class ExternalCheckFilterTest {

    @RegisterExtension
    static final FilterFixture env = FilterFixture.vertxOnly();

    @TempDir
    Path dir;
    Path checker;

    /** A checker that keeps its arguments and the message it was given, and answers by what the message says. */
    @BeforeEach
    void writeChecker() throws Exception {
        checker = dir.resolve("checker.sh");
        Files.writeString(checker, """
                #!/bin/sh
                # called as: -s file -a ip -f from -t n rcpts...
                printf '%%s\\n' "$@" > '%1$s/args.txt'
                cp "$2" '%1$s/seen.eml'
                grep -q CHECK-REJECT "$2" && exit 1
                grep -q CHECK-DEFER "$2" && exit 75
                grep -q CHECK-HANG "$2" && exec sleep 60
                exit 0
                """.formatted(dir));
        Files.setPosixFilePermissions(checker, PosixFilePermissions.fromString("rwx------"));
    }

    ExternalCheckFilter filter(String... more) {
        String[] all = java.util.Arrays.copyOf(more, more.length + 4);
        all[more.length] = "gateway.external.command";
        all[more.length + 1] = checker.toString();
        all[more.length + 2] = "gateway.data-dir";
        all[more.length + 3] = dir.resolve("data").toString();
        return new ExternalCheckFilter(env.vertx(), TestConfigs.gateway(all));
    }

    static Transaction message(String body, String from, String... rcpts) {
        Transaction tx = client("192.0.2.7");
        tx.mailFrom = from;
        tx.recipients.addAll(List.of(rcpts));
        tx.message = MessageContent.of(("Subject: test\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.US_ASCII));
        return tx;
    }

    Verdict check(ExternalCheckFilter f, Transaction tx) throws Exception {
        return env.run(f, Stage.END_OF_DATA, tx);
    }

    @Test
    void exitZeroAcceptsAndTheCheckerGetsTheMessageAndTheEnvelope() throws Exception {
        Transaction tx = message("hello", "alice@example.org", "bob@example.net", "carol@example.net");
        assertEquals(Verdict.CONTINUE, check(filter(), tx));
        assertEquals("Subject: test\r\n\r\nhello\r\n", Files.readString(dir.resolve("seen.eml")));
        List<String> args = Files.readAllLines(dir.resolve("args.txt"));
        assertEquals(List.of("-a", "192.0.2.7", "-f", "alice@example.org", "-t", "2", "bob@example.net", "carol@example.net"),
                args.subList(2, args.size()));
        assertEquals("-s", args.get(0));
        assertTrue(args.get(1).startsWith(dir.resolve("data").resolve("spool").toString()), args.get(1));
        assertFalse(Files.exists(Path.of(args.get(1))), "the spooled copy is removed after the check");
    }

    @Test
    void exitOneRejectsAndAnyOtherExitDefers() throws Exception {
        assertEquals(Verdict.reject(550, "5.7.1", "Message rejected by content check"),
                check(filter(), message("CHECK-REJECT", "a@example.org", "b@example.net")));
        assertEquals(Verdict.tempfail(451, "4.7.1", "Message check failed, try again later"),
                check(filter(), message("CHECK-DEFER", "a@example.org", "b@example.net")));
    }

    @Test
    void aCheckerThatDoesNotFinishInTimeDefers() throws Exception {
        assertEquals(Verdict.tempfail(451, "4.7.1", "Message check timed out, try again later"),
                check(filter("gateway.external.timeout", "500ms"), message("CHECK-HANG", "a@example.org", "b@example.net")));
    }

    @Test
    void theNullSenderIsPassedAsAnEmptyArgument() throws Exception {
        assertEquals(Verdict.CONTINUE, check(filter(), message("bounce", null, "b@example.net")));
        assertEquals(List.of("-f", "", "-t", "1", "b@example.net"), Files.readAllLines(dir.resolve("args.txt")).subList(4, 9));
    }

    @Test
    void anAddressBeginningWithADashReachesTheCheckerQuotedNeverAsAnOption() throws Exception {
        // a GNU-getopt checker permutes its arguments: a recipient -h@… would be its option -h
        // (print help, exit 0 = accept); the quoted local part is the same mailbox and no option
        Transaction tx = message("hello", "-s/tmp/x@example.org", "--help@catchall.example", "bob@example.net", "-h@catchall.example");
        assertEquals(Verdict.CONTINUE, check(filter(), tx));
        List<String> args = Files.readAllLines(dir.resolve("args.txt"));
        assertEquals(List.of("-a", "192.0.2.7", "-f", "\"-s/tmp/x\"@example.org", "-t", "3",
                "\"--help\"@catchall.example", "bob@example.net", "\"-h\"@catchall.example"), args.subList(2, args.size()));
        for (String a : args.subList(7, args.size())) {
            assertFalse(a.startsWith("-"), "no recipient argument can be an option: " + a);
        }
        assertEquals(List.of("--help@catchall.example", "bob@example.net", "-h@catchall.example"), tx.recipients,
                "only the checker's arguments are quoted, the envelope is unchanged");
    }

    @Test
    void withoutACommandNothingRuns() throws Exception {
        ExternalCheckFilter none = new ExternalCheckFilter(env.vertx(), TestConfigs.gateway("gateway.data-dir", dir.resolve("data").toString()));
        assertEquals(Verdict.CONTINUE, check(none, message("CHECK-REJECT", "a@example.org", "b@example.net")));
        assertFalse(Files.exists(dir.resolve("args.txt")), "the checker was not started");
    }
}
