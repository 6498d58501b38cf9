package net.trustbl.ui;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A real SMTP server in the test JVM ({@link SmtpSink}): quarkus-mailer delivers to it over SMTP,
 * the tests read what arrived. Global (restrictToAnnotatedClass = false) so all tests share one Quarkus.
 */
public class MailServerResource implements QuarkusTestResourceLifecycleManager {

    static volatile SmtpSink smtp;

    @Override
    public Map<String, String> start() {
        try {
            smtp = new SmtpSink();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("quarkus.mailer.mock", "false",
                "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", String.valueOf(smtp.port()),
                "quarkus.mailer.start-tls", "DISABLED",
                "quarkus.mailer.own-host-name", "trustbl.test");
    }

    @Override
    public void stop() {
        if (smtp != null) {
            try {
                smtp.close();
            } catch (IOException ignored) {
                // shutting down
            }
        }
    }

    static List<SmtpSink.Message> received() {
        return smtp.messages();
    }
}
