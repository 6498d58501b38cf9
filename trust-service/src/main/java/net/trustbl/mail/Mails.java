package net.trustbl.mail;

import net.trustbl.report.Impact;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;

/**
 * Every mail TrustBL sends, as plain text from Qute templates, through quarkus-mailer to the
 * configured SMTP server. Sending never breaks a page: a failure is logged and reported back
 * as false so the page can say so.
 */
@ApplicationScoped
public class Mails {

    private static final Logger LOG = Logger.getLogger(Mails.class);

    /** Numbers of the weekly impact mail. */
    /** One line of a sender-watch mail: a listing or delisting inside a watched network. */
    public record WatchNotice(String ip, String network, boolean listed, String returnCode, String at, String lookupLink) { }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance confirmEmail(String link);

        static native TemplateInstance passwordReset(String link);

        static native TemplateInstance delistingConfirm(String ip, String link);

        static native TemplateInstance delistingOutcome(String ip, boolean upheld, String lookupLink);

        static native TemplateInstance weeklyImpact(Impact impact, String dashboardLink, String unsubscribeLink);

        static native TemplateInstance watchNotice(List<WatchNotice> notices, int more, String manageLink);
    }

    /**
     * How long one send may take. The blocking Mailer waits for ever, and the Vert.x mail client
     * can hang on a pooled connection the server has already dropped (its keep-alive timeout is
     * not always honoured): a page must never hang on that, so a send gets this long, then one
     * retry on a fresh connection.
     */
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    @Inject
    ReactiveMailer mailer;

    public boolean sendEmailConfirmation(String to, String link) {
        return send(to, "Confirm your TrustBL address", Templates.confirmEmail(link));
    }

    /**
     * Queued, not awaited: the reset form answers alike for known and unknown addresses, and an
     * answer that waited for the SMTP server only for known ones would tell which exist.
     */
    public void sendPasswordResetLater(String to, String link) {
        String subject = "Reset your TrustBL password";
        mailer.send(Mail.withText(to, subject, Templates.passwordReset(link).render())).subscribe().with(
                ok -> { }, e -> LOG.warnf("could not send mail \"%s\" to %s: %s", subject, to, String.valueOf(e)));
    }

    public boolean sendDelistingConfirmation(String to, String ip, String link) {
        return send(to, "Confirm your delisting request for " + ip, Templates.delistingConfirm(ip, link));
    }

    public boolean sendDelistingOutcome(String to, String ip, boolean upheld, String lookupLink) {
        return send(to, "Your delisting request for " + ip + (upheld ? " was granted" : " was declined"),
                Templates.delistingOutcome(ip, upheld, lookupLink));
    }

    public boolean sendWeeklyImpact(String to, Impact impact, String dashboardLink, String unsubscribeLink) {
        Mail mail = Mail.withText(to, "Your TrustBL week: " + impact.likelyBlocked() + " connections likely blocked",
                        Templates.weeklyImpact(impact, dashboardLink, unsubscribeLink).render())
                // RFC 2369 / RFC 8058: mail clients show an unsubscribe button that POSTs
                // "List-Unsubscribe=One-Click" to the signed link (the signature is the authorization)
                .addHeader("List-Unsubscribe", "<" + unsubscribeLink + ">")
                .addHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        return send(to, mail);
    }

    /** Sender watch: listings and delistings inside the member's watched networks. */
    public boolean sendWatchNotice(String to, List<WatchNotice> notices, int more, String manageLink) {
        long listed = notices.stream().filter(WatchNotice::listed).count();
        String subject = listed > 0
                ? "TrustBL listed " + (listed == 1 ? notices.stream().filter(WatchNotice::listed).findFirst().orElseThrow().ip()
                        : listed + " addresses") + " in your watched networks"
                : "TrustBL delisted " + (notices.size() == 1 ? notices.get(0).ip() : notices.size() + " addresses")
                        + " in your watched networks";
        return send(to, subject, Templates.watchNotice(notices, more, manageLink));
    }

    private boolean send(String to, String subject, TemplateInstance body) {
        return send(to, Mail.withText(to, subject, body.render()));
    }

    private boolean send(String to, Mail mail) {
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                mailer.send(mail).await().atMost(SEND_TIMEOUT);
                return true;
            } catch (io.smallrye.mutiny.TimeoutException e) {
                LOG.warnf("mail \"%s\" to %s: no answer from the SMTP server in %d s (attempt %d of 2)",
                        mail.getSubject(), to, SEND_TIMEOUT.toSeconds(), attempt);
            } catch (RuntimeException e) {
                LOG.warnf("could not send mail \"%s\" to %s: %s", mail.getSubject(), to, String.valueOf(e));
                return false;
            }
        }
        return false;
    }
}
