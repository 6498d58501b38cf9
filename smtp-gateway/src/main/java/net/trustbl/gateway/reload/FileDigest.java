package net.trustbl.gateway.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A file's content as a SHA-256 digest: the watcher compares contents, not time stamps, so an
 * editor that rewrites a file in the same second, or a ConfigMap swapping a symlink, is seen.
 */
final class FileDigest {

    private FileDigest() {
    }

    /** The digest, "missing" when the file is not there, null for no file; "unreadable: …" when it cannot be read. */
    static String of(Path file) {
        if (file == null) {
            return null;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return "missing";
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
