package net.trustbl.gateway.smtp;

import net.trustbl.gateway.budget.InFlightBudget;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The folder where messages above {@code gateway.limits.spool-threshold} are kept while their
 * transaction lasts ({@code <gateway.data-dir>/message-spool}), and the budget of disk bytes they
 * may use together ({@code gateway.limits.spool-bytes}). A spool file is a scratch copy: the client
 * gets 250 only after the downstream accepted the message, so nothing acknowledged lives only here
 * and the files need no fsync. Files are private to the gateway's user (0600) and deleted when their
 * transaction ends; what a crash left behind is deleted at the next start.
 */
final class Spool {

    private static final Logger LOG = Logger.getLogger(Spool.class);
    static final String PREFIX = "msg-";
    static final String SUFFIX = ".spool";
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private final Path dir;
    private final long threshold;
    private final InFlightBudget disk;

    Spool(Path dir, long threshold, long diskBytes) {
        this(dir, threshold, new InFlightBudget(diskBytes));
    }

    /** disk: the gateway's spool budget, shared with the attachment filter's decoded zips ({@link net.trustbl.gateway.budget.SpoolDisk}). */
    Spool(Path dir, long threshold, InFlightBudget disk) {
        this.dir = dir;
        this.threshold = threshold;
        this.disk = disk;
    }

    /** Creates the folder and deletes the spool files a crashed gateway left (their clients got no 250). */
    void prepare() {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, OWNER_ONLY_DIR);
            }
            int deleted = 0;
            try (DirectoryStream<Path> left = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
                for (Path p : left) {
                    Files.deleteIfExists(p);
                    deleted++;
                }
            }
            if (deleted > 0) {
                LOG.infof("deleted %d spool files left by an earlier run in %s (none was acknowledged)", deleted, dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("message spool folder " + dir + " is not usable", e);
        }
    }

    /** A new empty spool file, readable and writable by the gateway's user only. */
    Path newFile() throws IOException {
        return Files.createTempFile(dir, PREFIX, SUFFIX, OWNER_ONLY);
    }

    Path dir() {
        return dir;
    }

    /** Messages up to this many bytes stay in memory. */
    long threshold() {
        return threshold;
    }

    /** Disk bytes of all spool files together. */
    InFlightBudget disk() {
        return disk;
    }
}
