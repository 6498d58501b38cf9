package net.trustbl.intake;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import net.trustbl.common.ProblemException;
import net.trustbl.common.TrustBlConfig;
import net.trustbl.engine.IpBlock;
import net.trustbl.engine.Verdict;
import net.trustbl.evidence.EvidenceExtractor;
import net.trustbl.evidence.ExtractedReport;
import net.trustbl.evidence.Extraction;
import net.trustbl.journal.EventJournal;
import net.trustbl.journal.JournalEntry;
import net.trustbl.journal.Receipt;
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
import java.util.List;

/**
 * Reports that arrive as mail (forwarded spam, ARF, raw spam): find the real source with the
 * member's mail hosts, store the evidence, and file one report per spam found.
 */
@ApplicationScoped
public class RawReportService {

    private static final Logger LOG = Logger.getLogger(RawReportService.class);

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FiledReport(long id, String sourceIp, double strength, String rule, String form, String part,
                              Long duplicateOf, String note) { }

    public record RawResult(List<FiledReport> reports, List<String> errors) { }

    private final EvidenceExtractor extractor = new EvidenceExtractor();

    @Inject
    MailhostService mailhosts;

    @Inject
    EventJournal journal;

    @Inject
    ReportService reports;

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
        Extraction x = extractor.extract(message, mailhosts.mailhosts(memberId));
        if (x.reports().isEmpty()) {
            throw new ProblemException(422, "No source found", "no spam source could be found: " + x.errorSummary(),
                    "message", "source", null, null);
        }
        List<ExtractedReport> fresh = new ArrayList<>();
        List<FiledReport> filed = new ArrayList<>();
        List<Long> priorIds = new ArrayList<>();
        for (ExtractedReport r : x.reports()) {
            Long prior = priorReport(memberId, r);
            if (prior != null) {
                filed.add(new FiledReport(prior, r.sourceIp(), r.strength(), r.rule(), r.form(), r.part(), prior,
                        "the same message was reported before; it counts once"));
            } else {
                fresh.add(r);
            }
        }
        List<JournalEntry> entries = new ArrayList<>();
        for (ExtractedReport r : fresh) {
            IpBlock ip = reports.validateTarget(r.sourceIp(), null);
            entries.add(new JournalEntry.NewReport(memberId, ip, Verdict.SPAM, "email", null, channel, r.strength()));
        }
        List<Receipt> receipts = entries.isEmpty() ? List.of() : journal.submitAndWait(entries);
        for (int i = 0; i < fresh.size(); i++) {
            ExtractedReport r = fresh.get(i);
            Receipt rc = receipts.get(i);
            storeEvidence(rc.id(), memberId, r, i == 0 ? message : null);
            filed.add(new FiledReport(rc.id(), r.sourceIp(), r.strength(), r.rule(), r.form(), r.part(),
                    rc.duplicateOf(), r.note()));
        }
        return new RawResult(filed, x.errors());
    }

    @Transactional
    Long priorReport(long memberId, ExtractedReport r) {
        List<?> rows = em.createNativeQuery("SELECT report_id FROM report_evidence WHERE member_id = ?1 AND message_key = ?2 "
                        + "AND source_ip = ?3")
                .setParameter(1, memberId).setParameter(2, r.duplicateKey()).setParameter(3, r.sourceIp())
                .getResultList();
        return rows.isEmpty() ? null : ((Number) rows.get(0)).longValue();
    }

    void storeEvidence(long reportId, long memberId, ExtractedReport r, byte[] raw) {
        Instant deleteAfter = Instant.now().plus(config.evidence().retention());
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO report_evidence (report_id, member_id, received_at, "
                     + "source_ip, subject, subject_sha256, message_key, helo, rdns, rule, raw_message, delete_raw_after) "
                     + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setLong(1, reportId);
            ps.setLong(2, memberId);
            ps.setTimestamp(3, r.time() == null ? null : Timestamp.from(r.time()));
            ps.setString(4, r.sourceIp());
            ps.setString(5, cut(r.subject(), 500));
            ps.setString(6, r.subjectSha256());
            ps.setString(7, r.duplicateKey());
            ps.setString(8, cut(r.helo(), 255));
            ps.setString(9, cut(r.rdns(), 255));
            ps.setString(10, r.rule());
            if (raw == null) {
                ps.setNull(11, Types.BINARY);
            } else {
                ps.setBytes(11, raw);
            }
            ps.setTimestamp(12, Timestamp.from(deleteAfter));
            ps.executeUpdate();
        } catch (SQLException e) {
            // the report itself is already durable; losing its evidence row must not undo it
            LOG.warnf("could not store evidence of report %d: %s", reportId, e.getMessage());
        }
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
