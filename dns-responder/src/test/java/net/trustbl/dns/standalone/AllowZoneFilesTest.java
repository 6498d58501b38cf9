package net.trustbl.dns.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import net.trustbl.dns.index.ZoneData;
import net.trustbl.dns.server.ZoneFreshness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file replica serves the allow zone from the service's rbldnsd export of it (--allow-rbldnsd-file). */
class AllowZoneFilesTest {

    @TempDir
    Path dir;

    @Test
    void theAllowZoneExportIsReadWithItsCodes() throws Exception {
        Path list = Files.writeString(dir.resolve("bl.ip4set"), ":127.0.0.2:Listed $\n192.0.2.1\n");
        Path allow = Files.writeString(dir.resolve("wl.ip4set"), "# TrustBL trusted senders (allow zone), rbldnsd ip4set dataset\n"
                + ":127.0.10.2:Trusted $\n127.0.0.2\n198.51.100.5 :127.0.10.1:Trusted $\n198.51.100.6 :127.0.10.3:Trusted $\n");
        StandaloneSettings s = StandaloneSettings.from(Map.of("trustbl.dns.rbldnsd-file", list.toString(),
                "trustbl.dns.allow-rbldnsd-file", allow.toString())::get);
        assertEquals(List.of(allow), s.allowFiles());
        ZoneData data = new ZoneData();
        try (FileWatcher w = new FileWatcher(s.allowFiles(), data, ZoneFreshness.always())) {
            w.loadNow();
        }
        assertEquals(1, data.snapshot().codeV4(0xc6336405, null)); // 198.51.100.5
        assertEquals(3, data.snapshot().codeV4(0xc6336406, null));
        assertEquals(0, data.snapshot().codeV4(0xc0000201, null), "the list's data is not the allow zone's");
    }

    @Test
    void aReplicaOfAPrimaryTransfersTheAllowZoneInstead() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StandaloneSettings.from(Map.of(
                "trustbl.dns.primary", "127.0.0.1:5353", "trustbl.dns.allow-rbldnsd-file", "/dev/null")::get));
        assertEquals("--allow-rbldnsd-file goes with --rbldnsd-file: a replica transfers the allow zone", e.getMessage());
    }
}
