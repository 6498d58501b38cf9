package net.trustbl.listing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The redacted evidence a blocked sender may see, for the lookup page and the lookup API: when a
 * reported message arrived, the HELO and reverse DNS the sender's server gave, and (only when
 * {@code trustbl.evidence.show-subject=true}) a redacted subject. Never recipients, never the
 * reporter, never the body. Samples of reports that were cleared (wrong reports) are not evidence.
 */
@ApplicationScoped
public class EvidenceSamples {

    public record Sample(Instant receivedAt, String subject, String helo, String rdns) { }

    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+\\-]+@([A-Za-z0-9.\\-]+)");
    private static final Pattern LONG_NUMBER = Pattern.compile("\\d{5,}");
    private static final Pattern TOKENISH = Pattern.compile("\\b[A-Za-z0-9_\\-]{24,}\\b");

    @Inject
    EntityManager em;

    /**
     * Whether samples show the (redacted) subject line. Off by default: a subject can carry
     * personal data redaction does not catch; the subject hash is kept with the report either way.
     */
    @ConfigProperty(name = "trustbl.evidence.show-subject", defaultValue = "false")
    volatile boolean showSubject;

    public boolean showsSubject() {
        return showSubject;
    }

    /** For tests: turns the subject column on or off. */
    public void showSubject(boolean show) {
        this.showSubject = show;
    }

    /** The latest {@code limit} samples for one address, newest first. */
    @Transactional
    public List<Sample> latest(String ip, int limit) {
        boolean subjects = showSubject;
        List<Sample> samples = new ArrayList<>();
        for (Object o : em.createNativeQuery("SELECT e.received_at, e.subject, e.helo, e.rdns FROM report_evidence e "
                + "WHERE e.source_ip = ?1 AND NOT EXISTS (SELECT 1 FROM report r WHERE r.id = e.report_id "
                + "AND r.outcome IN ('cleared', 'duplicate')) ORDER BY e.created_at DESC LIMIT ?2")
                .setParameter(1, ip).setParameter(2, limit).getResultList()) {
            Object[] r = (Object[]) o;
            samples.add(new Sample(instant(r[0]), subjects ? redact((String) r[1]) : null, (String) r[2], (String) r[3]));
        }
        return samples;
    }

    private static Instant instant(Object v) {
        if (v instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (v instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (v instanceof Instant i) {
            return i;
        }
        return null;
    }

    /** Removes what could identify the recipients: addresses keep only their domain, long numbers and tokens go. */
    public static String redact(String subject) {
        if (subject == null || subject.isBlank()) {
            return "(no subject)";
        }
        String s = EMAIL.matcher(subject).replaceAll("…@$1");
        s = LONG_NUMBER.matcher(s).replaceAll("…");
        s = TOKENISH.matcher(s).replaceAll("…");
        return s.length() > 90 ? s.substring(0, 90) + "…" : s;
    }
}
