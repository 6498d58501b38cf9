package net.trustbl.dns.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import net.trustbl.dns.index.IndexBuilder;
import net.trustbl.dns.index.ZoneData;
import net.trustbl.dns.server.ZoneFreshness;

/**
 * Reloads the rbldnsd files when their size or modification time changes (polled every second).
 * A load, and every poll that finds all files present and unchanged, renews the
 * {@link ZoneFreshness}: files that vanish (or keep failing to load) age the data towards the SOA
 * expire, after which the responder fails closed.
 */
final class FileWatcher implements AutoCloseable {

    private static final String MISSING = "missing;";

    private final List<Path> files;
    private final ZoneData data;
    private final ZoneFreshness freshness;
    private final Thread thread;
    private volatile boolean running = true;
    private String lastStamp = "";
    /** False after a reload that failed: the files no longer say what we serve. */
    private volatile boolean lastLoadOk;

    FileWatcher(List<Path> files, ZoneData data, ZoneFreshness freshness) {
        this.files = files;
        this.data = data;
        this.freshness = freshness;
        this.thread = new Thread(this::loop, "dns-file-watch");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private String stamp() {
        StringBuilder sb = new StringBuilder();
        for (Path p : files) {
            try {
                sb.append(Files.getLastModifiedTime(p).toMillis()).append('/').append(Files.size(p)).append(';');
            } catch (IOException e) {
                sb.append(MISSING);
            }
        }
        return sb.toString();
    }

    synchronized void loadNow() throws IOException {
        String st = stamp();
        IndexBuilder b = new IndexBuilder();
        long entries = 0;
        long skipped = 0;
        long t0 = System.nanoTime();
        for (Path p : files) {
            RbldnsdFile.Stats s = RbldnsdFile.load(p, b);
            entries += s.entries();
            skipped += s.skipped();
            reportRejected(s);
        }
        // serial: seconds since the epoch, always moving forward
        long serial = Math.max(data.serial() + 1, System.currentTimeMillis() / 1000) & 0xffffffffL;
        data.replaceAll(serial, b.build());
        lastStamp = st;
        lastLoadOk = true;
        freshness.refreshed();
        System.out.printf("loaded %d entries (%d bad lines) in %d ms, serial %d%n", entries, skipped,
                (System.nanoTime() - t0) / 1_000_000, serial);
    }

    /** The operator learns which lines were skipped, not only how many. */
    static void reportRejected(RbldnsdFile.Stats s) {
        for (String r : s.rejected()) {
            System.err.println("rejected " + r);
        }
        if (s.skipped() > s.rejected().size()) {
            System.err.println("... and " + (s.skipped() - s.rejected().size()) + " more rejected lines");
        }
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(1000);
                poll();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One check: reload when a file changed, renew the freshness when all are there unchanged. */
    void poll() throws InterruptedException {
        try {
            String now = stamp();
            if (!now.equals(lastStamp)) {
                Thread.sleep(200); // let the writer finish
                loadNow();
            } else if (lastLoadOk && !now.contains(MISSING)) {
                freshness.refreshed(); // what we serve is still what the files say
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("reload failed, keeping the previous data (it ages towards the SOA expire): " + e);
            lastStamp = stamp();
            lastLoadOk = false;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
