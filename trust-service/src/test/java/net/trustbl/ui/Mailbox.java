package net.trustbl.ui;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads mails that reached the in-process SMTP server. */
final class Mailbox {

    record Received(String to, String subject, String body, MimeMessage message) { }

    private Mailbox() {
    }

    /** Waits up to 10 s for a mail to {@code to} whose subject contains {@code subject}; the newest wins. */
    static Received await(String to, String subject) {
        long end = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < end) {
            MimeMessage[] all = MailServerResource.received();
            for (int i = all.length - 1; i >= 0; i--) {
                try {
                    MimeMessage m = all[i];
                    String rcpt = m.getRecipients(Message.RecipientType.TO)[0].toString();
                    if (rcpt.equalsIgnoreCase(to) && m.getSubject().contains(subject)) {
                        Object content = m.getContent();
                        String body = content instanceof String s ? s : String.valueOf(content);
                        return new Received(rcpt, m.getSubject(), body.replace("\r\n", "\n"), m);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
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
        int n = 0;
        for (MimeMessage m : MailServerResource.received()) {
            try {
                if (m.getRecipients(Message.RecipientType.TO)[0].toString().equalsIgnoreCase(to)) {
                    n++;
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return n;
    }

    /** The first link in the body that starts with {@code prefix}, as a local path. */
    static String link(Received mail, String pathPrefix) {
        Matcher m = Pattern.compile("https?://[^/\\s]+(" + Pattern.quote(pathPrefix) + "\\S*)").matcher(mail.body());
        if (!m.find()) {
            throw new AssertionError("no link " + pathPrefix + " in:\n" + mail.body());
        }
        return m.group(1);
    }
}
