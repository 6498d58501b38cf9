package net.trustbl.report;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import net.trustbl.engine.MemberTrust;
import net.trustbl.member.Member;
import net.trustbl.trust.TrustHistoryStore;
import net.trustbl.trust.TrustEngineHost;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A member's own numbers, for their dashboard: trust and its history, strikes, reports with
 * outcomes, and impact (the page formats them and draws the chart). Every query is filtered by
 * the member id of the logged-in session, never by a request value.
 */
@ApplicationScoped
public class DashboardService {

    public static final Set<String> OUTCOMES = Set.of("pending", "confirmed", "cleared", "duplicate");
    public static final Set<String> VERDICTS = Set.of("spam", "trusted");

    /** {@code trust} is the member's trust now, {@code history} its recorded changes before now (oldest first). */
    public record Summary(double trust, boolean pinned, int strikes, int confirmedReports,
                          List<TrustHistoryStore.TrustPoint> history, Map<String, Long> outcomes, Impact impact, String level) { }

    @Inject
    MemberReportStore reportStore;

    @Inject
    TrustHistoryStore trustHistory;

    @Inject
    TrustEngineHost engine;

    @Inject
    ImpactService impacts;

    @Transactional
    public Summary summary(long memberId) {
        Member m = Member.findById(memberId);
        MemberTrust t = engine.member(memberId);
        double trust = t == null ? m.trust : t.trust();
        Map<String, Long> outcomes = new TreeMap<>();
        for (String o : OUTCOMES) {
            outcomes.put(o, 0L);
        }
        outcomes.putAll(reportStore.countsByOutcome(memberId));
        return new Summary(trust, t != null && t.pinned(), t == null ? m.strikes : t.strikes(),
                t == null ? 0 : t.confirmedReports(), trustHistory.latest(memberId, 60), outcomes, impact(memberId), level(trust));
    }

    static String level(double trust) {
        if (trust >= 0.5) {
            return "trusted: two members at this level list an address";
        }
        if (trust >= 0.1) {
            return "growing: your reports count, but need others to agree";
        }
        return "new: your reports are recorded and earn trust when others confirm them";
    }

    /** This week's effect of the member's spam reports (see {@link ImpactService}). */
    public Impact impact(long memberId) {
        return impacts.impact(memberId);
    }

    /** The member's reports, newest first, filtered; {@code before} pages back by id. */
    @Transactional
    public List<MemberReportStore.MemberReport> reports(long memberId, String outcome, String verdict, String ipPrefix,
                                                        Long before, int limit) {
        return reportStore.reports(memberId, new MemberReportStore.Filter(outcome, verdict, ipPrefix, before, limit));
    }
}
