package net.trustbl.gateway.smtp;

import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The key and certificate offered with STARTTLS: the operator's PEM files, or a self-signed
 * certificate made once with the JDK's keytool and kept in the data folder (MTAs that talk to an
 * MX use opportunistic TLS and accept it).
 */
final class TlsSupport {

    private static final Logger LOG = Logger.getLogger(TlsSupport.class);

    private TlsSupport() {
    }

    static KeyCertOptions keyCert(Optional<String> cert, Optional<String> key, Path dataDir, String hostname) {
        if (cert.isPresent() && key.isPresent()) {
            return new PemKeyCertOptions().setCertPath(cert.get()).setKeyPath(key.get());
        }
        try {
            Path dir = dataDir.resolve("tls");
            Files.createDirectories(dir);
            Path store = dir.resolve("gateway-selfsigned.p12");
            Path pass = dir.resolve("gateway-selfsigned.pass");
            if (!Files.exists(store) || !Files.exists(pass)) {
                byte[] random = new byte[16];
                new SecureRandom().nextBytes(random);
                String password = HexFormat.of().formatHex(random);
                Files.deleteIfExists(store);
                String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
                Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "gateway", "-keyalg", "RSA",
                        "-keysize", "2048", "-validity", "3650", "-dname", "CN=" + hostname.replaceAll("[^A-Za-z0-9.-]", ""),
                        "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", password,
                        "-keypass", password).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IOException("keytool failed");
                }
                Files.writeString(pass, password);
                LOG.infof("generated a self-signed TLS certificate for %s in %s", hostname, store);
            }
            return new PfxOptions().setPath(store.toString()).setPassword(Files.readString(pass).trim());
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the STARTTLS certificate", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
