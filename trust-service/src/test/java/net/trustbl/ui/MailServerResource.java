package net.trustbl.ui;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * A real SMTP server in the test JVM (GreenMail): quarkus-mailer delivers to it over SMTP, the
 * tests read what arrived. Global (restrictToAnnotatedClass = false) so all tests share one Quarkus.
 */
public class MailServerResource implements QuarkusTestResourceLifecycleManager {

    static volatile GreenMail smtp;

    @Override
    public Map<String, String> start() {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        return Map.of("quarkus.mailer.mock", "false",
                "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", String.valueOf(port),
                "quarkus.mailer.start-tls", "DISABLED",
                // GreenMail sometimes stalls on pipelined commands (then 421 after 30 s)
                "quarkus.mailer.pipelining", "false");
    }

    @Override
    public void stop() {
        if (smtp != null) {
            smtp.stop();
        }
    }

    static MimeMessage[] received() {
        return smtp.getReceivedMessages();
    }
}
