package net.trustbl.intake;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import net.trustbl.common.ControlCharacters;
import net.trustbl.common.ProblemException;
import net.trustbl.common.TrustBlConfig;
import net.trustbl.address.IpBlock;
import net.trustbl.engine.Verdict;
import net.trustbl.evidence.EvidenceExtractor;
import net.trustbl.evidence.ExtractedReport;
import net.trustbl.evidence.Extraction;
import net.trustbl.journal.EventJournal;
import net.trustbl.journal.JournalEntry;
import net.trustbl.journal.Receipt;
import net.trustbl.member.AccountQuotas;
import net.trustbl.member.Member;
import net.trustbl.report.ReportService;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reports that arrive as mail (forwarded spam, ARF, raw spam): find the real source with the
 * member's mail hosts, store the evidence, and file one report per spam found.
 */
@ApplicationScoped
public class RawReportService {

    private static final Logger LOG = Logger.getLogger(RawReportService.class);
    /** How long one submission waits, in all, for a concurrent submission of the same message to file it. */
    static final long PRIOR_REPORT_WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    @JsonInclude(JsonInclude.Include.NON_NULL)
    /** {@code strength}: what the message proves; {@code weighed} is false (else absent) while the email is not confirmed. */
    public record FiledReport(long id, String sourceIp, double strength, String rule, String form, String part,
                              Long duplicateOf, String note, Boolean weighed) { }

    public record RawResult(List<FiledReport> reports, List<String> errors) { }

    private final EvidenceExtractor extractor = new EvidenceExtractor();

    @Inject
    MailhostService mailhosts;

    @Inject
    EventJournal journal;

    @Inject
    ReportService reports;

    @Inject
    AccountQuotas quotas;

    @Inject
    TrustBlConfig config;

    @Inject
    EntityManager em;

    @Inject
    DataSource dataSource;

    public RawResult submitRaw(long memberId, byte[] message, String channel) {
        int max = config.evidence().maxMessageSize();
        if (message == null || message.length == 0) {
            throw ProblemException.invalid("message", "required", "the request body must be the reported message (message/rfc822)");
        }
        if (message.length > max) {
            throw ProblemException.tooLarge("message", "max-size", "messages up to " + max + " bytes are accepted, got " + message.length);
        }
        // stored for weeks: every message counts against the account's daily count and bytes
        quotas.chargeRawMessage(memberId, message.length);
        Boolean weighed = reports.weighs(memberId) ? null : Boolean.FALSE;
        // the member's own address tells the member's inline forward (refused: its headers are the
        // member's provider's) from the spam itself; see EvidenceExtractor / InlineForward
        Extraction x = extractor.extract(message, mailhosts.mailhosts(memberId), ownAddresses(memberId));
        if (x.reports().isEmpty()) {
            throw new ProblemException(422, "No source found", "no spam source could be found: " + x.errorSummary(),
                    "message", "source", null, null);
        }
        List<ExtractedReport> fresh = new ArrayList<>();
        List<FiledReport> filed = new ArrayList<>();
        for (ExtractedReport r : x.reports()) {
            reports.validateTarget(r.sourceIp(), null);
        }
        // one spam attached twice (or twenty times) is one report: without this each copy after the
        // first waited the whole of priorReport's wait for a report this same request files later
        Map<String, ExtractedReport> distinct = new LinkedHashMap<>();
        int repeated = 0;
        for (ExtractedReport r : x.reports()) {
            if (distinct.putIfAbsent(r.duplicateKey() + " " + r.sourceIp(), r) != null) {
                repeated++;
            }
        }
        // one wait for the whole request, however many of its reports a concurrent submission holds
        long waitUntil = System.nanoTime() + PRIOR_REPORT_WAIT_NANOS;
        for (ExtractedReport r : distinct.values()) {
            // atomic: of two identical submissions (even at the same instant) exactly one claims the message
            boolean claimed;
            try {
                claimed = claim(memberId, r);
            } catch (RuntimeException e) {
                fresh.forEach(f -> release(memberId, f)); // what this request claimed so far
                throw e;
            }
            if (claimed) {
                fresh.add(r);
            } else {
                long prior = priorReport(memberId, r, waitUntil);
                if (prior > 0) {
                    // completes the evidence if an earlier submission could not store it (a no-op otherwise)
                    storeEvidence(prior, memberId, r, message);
                }
                filed.add(new FiledReport(prior, r.sourceIp(), r.strength(), r.rule(), r.form(), r.part(), prior,
                        "the same message was reported before; it counts once", weighed));
            }
        }
        List<JournalEntry> entries = new ArrayList<>();
        for (ExtractedReport r : fresh) {
            IpBlock ip = reports.validateTarget(r.sourceIp(), null);
            entries.add(new JournalEntry.NewReport(memberId, ip, Verdict.SPAM, "email", null, channel, r.strength()));
        }
        List<Receipt> receipts;
        boolean charged = false;
        try {
            if (!entries.isEmpty()) {
                // a message can hold up to EvidenceExtractor.MAX_ATTACHED reports: each counts against
                // the account's daily report cap like a report sent through the API
                quotas.chargeReports(memberId, entries.size());
                charged = true;
            }
            receipts = entries.isEmpty() ? List.of() : journal.submitAndWait(reports.weighed(memberId, entries));
        } catch (RuntimeException e) {
            // nothing was filed: free the claims and the count so that the member can simply send it again
            for (ExtractedReport r : fresh) {
                release(memberId, r);
            }
            if (charged) {
                quotas.refundReports(memberId, entries.size());
            }
            throw e;
        }
        List<Long> missingEvidence = new ArrayList<>();
        for (int i = 0; i < fresh.size(); i++) {
            ExtractedReport r = fresh.get(i);
            Receipt rc = receipts.get(i);
            setClaimedReport(memberId, r, rc.id());
            if (!storeEvidence(rc.id(), memberId, r, i == 0 ? message : null)) {
                missingEvidence.add(rc.id());
            }
            filed.add(new FiledReport(rc.id(), r.sourceIp(), r.strength(), r.rule(), r.form(), r.part(),
                    rc.duplicateOf(), r.note(), weighed));
        }
        if (!missingEvidence.isEmpty()) {
            // the reports are durable (the journal has them), their evidence is not: say so instead of
            // answering as if all was kept; sending the same message again stores it without a second report
            throw new ProblemException(503, "Evidence not stored", "report(s) " + missingEvidence
                    + " were filed but their evidence could not be stored; send the same message again to store it "
                    + "(it will not count twice)", "message", "evidence", null, null);
        }
        List<String> errors = x.errors();
        if (repeated > 0) {
            errors = new ArrayList<>(errors);
            errors.add(repeated + " attached message(s) repeated one already in this submission: each counts once");
        }
        return new RawResult(filed, errors);
    }

    /** The member's own mail addresses: as registered and canonical (no "+tag", Gmail without dots). */
    @Transactional
    List<String> ownAddresses(long memberId) {
        Member m = Member.findById(memberId);
        if (m == null) {
            return List.of();
        }
        return java.util.stream.Stream.of(m.email, m.emailCanonical).filter(java.util.Objects::nonNull).distinct().toList();
    }

    /** Claims (member, message, source) for one report; false when it was claimed before. */
    boolean claim(long memberId, ExtractedReport r) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO raw_report_claim (member_id, message_key, source_ip) "
                     + "VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setLong(1, memberId);
            ps.setString(2, r.duplicateKey());
            ps.setString(3, r.sourceIp());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new ProblemException(503, "Try again later", "the report could not be checked for duplicates right now",
                    "message", "storage", null, null);
        }
    }

    private void release(long memberId, ExtractedReport r) {
        update("DELETE FROM raw_report_claim WHERE member_id = ? AND message_key = ? AND source_ip = ? AND report_id IS NULL",
                null, memberId, r);
    }

    private void setClaimedReport(long memberId, ExtractedReport r, long reportId) {
        update("UPDATE raw_report_claim SET report_id = ? WHERE member_id = ? AND message_key = ? AND source_ip = ?",
                reportId, memberId, r);
    }

    private void update(String sql, Long reportId, long memberId, ExtractedReport r) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (reportId != null) {
                ps.setLong(i++, reportId);
            }
            ps.setLong(i++, memberId);
            ps.setString(i++, r.duplicateKey());
            ps.setString(i, r.sourceIp());
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.errorf("could not update the duplicate claim of member %d: %s", memberId, e.getMessage());
        }
    }

    /**
     * The report a claimed message was filed as. A concurrent first submission may still be
     * filing it: wait for it until {@code waitUntilNanos}, one deadline for the whole submission
     * (a message attaching the same spam twenty times must not wait twenty times). 0 when it is not known (yet).
     */
    long priorReport(long memberId, ExtractedReport r, long waitUntilNanos) {
        while (true) {
            Long id = claimedReport(memberId, r);
            if (id != null) {
                return id;
            }
            if (System.nanoTime() - waitUntilNanos > 0) {
                return 0;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
    }

    @Transactional
    Long claimedReport(long memberId, ExtractedReport r) {
        List<?> rows = em.createNativeQuery("SELECT report_id FROM raw_report_claim WHERE member_id = ?1 AND message_key = ?2 "
                        + "AND source_ip = ?3 AND report_id IS NOT NULL")
                .setParameter(1, memberId).setParameter(2, r.duplicateKey()).setParameter(3, r.sourceIp())
                .getResultList();
        return rows.isEmpty() ? null : ((Number) rows.get(0)).longValue();
    }

    /** Stores a report's evidence (three tries); false when it could not be stored. */
    boolean storeEvidence(long reportId, long memberId, ExtractedReport r, byte[] raw) {
        Instant deleteAfter = Instant.now().plus(config.evidence().retention());
        SQLException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("INSERT INTO report_evidence (report_id, member_id, received_at, "
                         + "source_ip, subject, subject_sha256, message_key, helo, rdns, rule, raw_message, delete_raw_after) "
                         + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setLong(1, reportId);
                ps.setLong(2, memberId);
                ps.setTimestamp(3, r.time() == null ? null : Timestamp.from(r.time()));
                ps.setString(4, r.sourceIp());
                ps.setString(5, cut(ControlCharacters.scrub(r.subject()), 500));
                ps.setString(6, r.subjectSha256());
                ps.setString(7, r.duplicateKey());
                ps.setString(8, cut(ControlCharacters.scrub(r.helo()), 255));
                ps.setString(9, cut(ControlCharacters.scrub(r.rdns()), 255));
                ps.setString(10, r.rule());
                if (raw == null) {
                    ps.setNull(11, Types.BINARY);
                } else {
                    ps.setBytes(11, raw);
                }
                ps.setTimestamp(12, Timestamp.from(deleteAfter));
                ps.executeUpdate();
                return true;
            } catch (SQLException e) {
                last = e;
            }
        }
        LOG.errorf("could not store the evidence of report %d: %s", reportId, last == null ? "?" : last.getMessage());
        return false;
    }

    /** Raw messages are personal data: delete them after the retention period, keep the facts. */
    @Scheduled(every = "1h", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void deleteExpiredMessages() {
        int n = em.createNativeQuery("UPDATE report_evidence SET raw_message = NULL "
                + "WHERE raw_message IS NOT NULL AND delete_raw_after < now()").executeUpdate();
        if (n > 0) {
            LOG.infof("Deleted %d raw messages past their retention period", n);
        }
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
