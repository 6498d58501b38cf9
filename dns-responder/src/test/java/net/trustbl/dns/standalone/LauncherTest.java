package net.trustbl.dns.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 item 1: the launcher {@code bin/trustbl-dns} passes the jar's options through and picks
 * the JVM settings (checked on the command it would run, {@code TRUSTBL_DNS_DRY_RUN=1}).
 */
class LauncherTest {

    private static final Path LAUNCHER = Path.of("bin", "trustbl-dns");

    @Test
    void heapFollowsTheDataFilesAndOptionsPassThrough(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("dns-responder-standalone.jar"), "not run");
        Path data = dir.resolve("bl.ip4set");
        Files.write(data, new byte[14 * 1048576]);
        String cmd = dryRun(Map.of("TRUSTBL_DNS_JAR", jar.toString(), "TRUSTBL_DNS_CDS", "off"),
                "--bind", "127.0.0.1:5353", "--rbldnsd-file", data.toString(), "--zone=bl.example");
        assertTrue(cmd.contains(" -Xmx88m "), cmd); // 32 MiB + 4 x 14 MiB
        for (String flag : List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-XX:+ExitOnOutOfMemoryError")) {
            assertTrue(cmd.contains(" " + flag + " "), flag + " in " + cmd);
        }
        assertTrue(cmd.endsWith("net.trustbl.dns.standalone.Main --bind 127.0.0.1:5353 --rbldnsd-file " + data
                + " --zone=bl.example"), cmd);

        String replica = dryRun(Map.of("TRUSTBL_DNS_JAR", jar.toString(), "TRUSTBL_DNS_CDS", "off",
                "TRUSTBL_DNS_JAVA_OPTS", "-Xmx1g -Dx=y"), "--primary", "central:5353");
        assertTrue(replica.contains(" -Xmx256m "), replica);
        assertTrue(replica.indexOf("-Xmx1g") > replica.indexOf("-Xmx256m"), "extra options come last and win: " + replica);
        String fromEnv = dryRun(Map.of("TRUSTBL_DNS_JAR", jar.toString(), "TRUSTBL_DNS_CDS", "off", "TRUSTBL_DNS_HEAP", "40m",
                "TRUSTBL_DNS_RBLDNSD_FILE", data.toString()));
        assertTrue(fromEnv.contains(" -Xmx40m "), fromEnv);
    }

    @Test
    void anExistingClassDataArchiveForThisJarIsMapped(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("dns-responder-standalone.jar"), "not run");
        Path cds = Files.createDirectories(dir.resolve("cds"));
        long mtime = Files.getLastModifiedTime(jar).toMillis() / 1000;
        Path archive = Files.writeString(cds.resolve("trustbl-dns-" + Files.size(jar) + "-" + mtime + ".jsa"), "x");
        String cmd = dryRun(Map.of("TRUSTBL_DNS_JAR", jar.toString(), "TRUSTBL_DNS_CDS_DIR", cds.toString()), "--primary", "c:53");
        String version = System.getProperty("java.specification.version");
        if (Integer.parseInt(version) >= 19) {
            assertTrue(cmd.contains("-XX:+AutoCreateSharedArchive"), cmd);
        } else {
            assertTrue(cmd.contains(" -XX:SharedArchiveFile=" + archive + " -Xshare:auto "), cmd);
        }
    }

    private static String dryRun(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("TRUSTBL_DNS_"));
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().put("TRUSTBL_DNS_DRY_RUN", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
