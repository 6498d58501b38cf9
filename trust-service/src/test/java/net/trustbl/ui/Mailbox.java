package net.trustbl.ui;

import net.trustbl.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads mails that reached the in-process SMTP server. */
final class Mailbox {

    record Received(String to, String subject, String body, SmtpSink.Message message) { }

    private Mailbox() {
    }

    /** Waits up to 10 s for a mail to {@code to} whose subject contains {@code subject}; the newest wins. */
    static Received await(String to, String subject) {
        Received[] found = {null};
        try {
            Eventually.within(Duration.ofSeconds(10), () -> (found[0] = newest(to, subject)) != null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (found[0] == null) {
            throw new AssertionError("no mail to " + to + " with subject containing '" + subject + "'");
        }
        return found[0];
    }

    /** The newest mail to {@code to} whose subject contains {@code subject} that has arrived, or null (no waiting). */
    static Received newest(String to, String subject) {
        List<SmtpSink.Message> all = MailServerResource.received();
        for (int i = all.size() - 1; i >= 0; i--) {
            SmtpSink.Message m = all.get(i);
            String subj = m.header("Subject");
            if (m.to().stream().anyMatch(to::equalsIgnoreCase) && subj != null && subj.contains(subject)) {
                return new Received(to, subj, m.body().replace("\r\n", "\n"), m);
            }
        }
        return null;
    }

    static int count(String to) {
        return (int) MailServerResource.received().stream().filter(m -> m.to().stream().anyMatch(to::equalsIgnoreCase)).count();
    }

    /** The first link in the body that starts with {@code pathPrefix}, as a local path. */
    static String link(Received mail, String pathPrefix) {
        Matcher m = Pattern.compile("https?://[^/\\s]+(" + Pattern.quote(pathPrefix) + "\\S*)").matcher(mail.body());
        if (!m.find()) {
            throw new AssertionError("no link " + pathPrefix + " in:\n" + mail.body());
        }
        return m.group(1);
    }
}
