package net.trustbl.ui;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import net.trustbl.engine.MemberTrust;
import net.trustbl.member.Member;
import net.trustbl.report.Impact;
import net.trustbl.report.ImpactService;
import net.trustbl.report.MemberReportStore;
import net.trustbl.trust.TrustHistoryStore;
import net.trustbl.trust.TrustEngineHost;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A member's own numbers: trust and its history, strikes, reports with outcomes, and impact.
 * Every query is filtered by the member id of the logged-in session, never by a request value.
 */
@ApplicationScoped
public class DashboardService {

    public static final Set<String> OUTCOMES = Set.of("pending", "confirmed", "cleared", "duplicate");
    public static final Set<String> VERDICTS = Set.of("spam", "trusted");

    public record Summary(String trust, boolean pinned, int strikes, int confirmedReports, String trustChart,
                          Map<String, Long> outcomes, Impact impact, String level) { }

    /** {@code weighed}: false for a report filed before the member's email was confirmed (strength 0). */
    public record ReportRow(long id, String ip, String verdict, String category, String note, String channel,
                            String createdAt, String outcome, boolean weighed) { }

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
        List<Svg.Point> points = new ArrayList<>();
        for (TrustHistoryStore.TrustPoint p : trustHistory.latest(memberId, 60)) {
            points.add(new Svg.Point(Fmt.day(p.at()), p.trust()));
        }
        points.add(new Svg.Point("now", trust));
        Map<String, Long> outcomes = new TreeMap<>();
        for (String o : OUTCOMES) {
            outcomes.put(o, 0L);
        }
        outcomes.putAll(reportStore.countsByOutcome(memberId));
        return new Summary(Fmt.num(trust), t != null && t.pinned(), t == null ? m.strikes : t.strikes(),
                t == null ? 0 : t.confirmedReports(), Svg.line("Your trust over time", points, 1.0, "#2f6fb3"),
                outcomes, impact(memberId), level(trust));
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
    public List<ReportRow> reports(long memberId, String outcome, String verdict, String ipPrefix, Long before, int limit) {
        List<ReportRow> out = new ArrayList<>();
        for (MemberReportStore.MemberReport r : reportStore.reports(memberId,
                new MemberReportStore.Filter(outcome, verdict, ipPrefix, before, limit))) {
            out.add(new ReportRow(r.id(), r.ip(), r.verdict(), r.category(), r.note(), r.channel(), Fmt.time(r.createdAt()),
                    r.outcome(), r.strength() > 0));
        }
        return out;
    }
}
