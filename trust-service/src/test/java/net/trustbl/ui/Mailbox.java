package net.trustbl.ui;

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
        long end = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < end) {
            List<SmtpSink.Message> all = MailServerResource.received();
            for (int i = all.size() - 1; i >= 0; i--) {
                SmtpSink.Message m = all.get(i);
                String subj = m.header("Subject");
                if (m.to().stream().anyMatch(to::equalsIgnoreCase) && subj != null && subj.contains(subject)) {
                    return new Received(to, subj, m.body().replace("\r\n", "\n"), m);
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no mail to " + to + " with subject containing '" + subject + "'");
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
