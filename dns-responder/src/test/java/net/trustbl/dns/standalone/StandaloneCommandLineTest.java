package net.trustbl.dns.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import net.trustbl.dns.config.DnsConfig;
import net.trustbl.dns.traffic.TrafficSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15 item 2 for the standalone responder: real help, unknown options exit 2, --check-config. */
class StandaloneCommandLineTest {

    @Test
    void everyKeyTheResponderReadsIsAnOption() {
        Set<String> read = new TreeSet<>();
        DnsConfig.fromLookup(k -> {
            read.add(k);
            return null;
        });
        TrafficSettings.fromLookup(k -> {
            read.add(k);
            return null;
        });
        List<String> missing = new ArrayList<>();
        for (String k : read) {
            if (StandaloneOptions.forKey(k) == null) {
                missing.add(k);
            }
        }
        assertTrue(read.size() > 25, "the recording lookup saw the keys: " + read);
        assertEquals(List.of(), missing, "keys read but not declared as options");
    }

    @Test
    void optionsBecomeKeysAndMistakesAreOneLine() {
        Map<String, String> m = StandaloneCommandLine.parse(new String[] {"--bind", "127.0.0.1:9", "--zone=z.example",
            "--rrl.responses-per-second", "0", "--check-config"});
        assertEquals("127.0.0.1:9", m.get("trustbl.dns.bind"));
        assertEquals("z.example", m.get("trustbl.dns.zone"));
        assertEquals("0", m.get("trustbl.dns.rrl.responses-per-second"));
        assertEquals("true", m.get("trustbl.dns.check-config"));
        assertEquals(4, m.size(), "nothing filled in: environment variables must still apply");

        var unknown = assertThrows(StandaloneCommandLine.UsageException.class,
                () -> StandaloneCommandLine.parse(new String[] {"--zoen", "bl.example"}));
        assertTrue(unknown.getMessage().contains("'--zoen'"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("did you mean --zone?"), unknown.getMessage());
        assertFalse(unknown.getMessage().contains("\n"));
        var missing = assertThrows(StandaloneCommandLine.UsageException.class,
                () -> StandaloneCommandLine.parse(new String[] {"--primary"}));
        assertTrue(missing.getMessage().contains("--primary"), missing.getMessage());
    }

    @Test
    void helpListsEveryOptionOnItsOwnLine() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        StandaloneCommandLine.printHelp(new PrintStream(buf, true, StandardCharsets.UTF_8));
        String help = buf.toString(StandardCharsets.UTF_8);
        assertTrue(help.lines().count() > StandaloneOptions.ALL.size(), help);
        for (StandaloneOptions.Option o : StandaloneOptions.ALL) {
            assertTrue(help.contains("--" + o.name()), o.name());
        }
        assertTrue(help.contains("Exit status:"));
    }

    @Test
    void theProcessExitsTwoOnAnUnknownOptionWithOneLineAndNoStackTrace() throws Exception {
        Result r = runMain(Map.of(), "--zoen", "bl.example");
        assertEquals(2, r.status);
        assertEquals(1, r.err.lines().count(), r.err);
        assertTrue(r.err.contains("--zoen"), r.err);
        assertFalse(r.err.contains("Exception"), r.err);
        Result help = runMain(Map.of(), "--help");
        assertEquals(0, help.status);
        assertTrue(help.out.contains("--rbldnsd-file"), help.out);
    }

    @Test
    void checkConfigValidatesReportsRejectedLinesAndExits(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bl.ip4set");
        Files.writeString(f, "192.0.2.1\n10.0.0.1-9\nnot-an-address\n");
        Result ok = runMain(Map.of(), "--check-config", "--rbldnsd-file", f.toString(), "--bind", "127.0.0.1:1");
        assertEquals(0, ok.status, ok.out + ok.err);
        assertTrue(ok.out.contains("bl.ip4set:3: 'not-an-address'"), ok.out);
        assertTrue(ok.out.contains("config OK"), ok.out);
        Result typo = runMain(Map.of("TRUSTBL_DNS_ZOEN", "bl.example"), "--check-config", "--rbldnsd-file", f.toString());
        assertEquals(1, typo.status, typo.out);
        assertTrue(typo.out.contains("TRUSTBL_DNS_ZOEN"), typo.out);
        Result bad = runMain(Map.of(), "--check-config", "--rbldnsd-file", f.toString(), "--ttl.listed", "soon");
        assertEquals(1, bad.status, bad.out);
        Result none = runMain(Map.of(), "--check-config");
        assertEquals(1, none.status);
        assertTrue(none.out.contains("needs a data source"), none.out);
    }

    private record Result(int status, String out, String err) {
    }

    private static Result runMain(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("TRUSTBL_DNS_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        int status = p.waitFor();
        assertNotNull(out);
        return new Result(status, new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
