package net.trustbl.report;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import net.trustbl.engine.MemberTrust;
import net.trustbl.trust.TrustEngineHost;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A member's {@link Impact}, read for that member only. Reports later cleared (wrong) earn
 * nothing. Lookups are counted per address, so the member's own mail servers' lookups are part of
 * the figure.
 */
@ApplicationScoped
public class ImpactService {

    @Inject
    MemberReportStore reportStore;

    @Inject
    TrustEngineHost engine;

    @Transactional
    public Impact impact(long memberId) {
        MemberReportStore.WeekCounts counts = reportStore.lastWeek(memberId);
        MemberReportStore.Lookups traffic = reportStore.lookupsOfReported(memberId);
        List<String> mine = reportStore.spamReportedLastWeek(memberId);
        Set<String> listed = new HashSet<>();
        engine.listings().forEach(l -> listed.add(l.ip().toString()));
        int listedNow = (int) mine.stream().filter(listed::contains).count();
        MemberTrust t = engine.member(memberId);
        return new Impact(counts.reports(), counts.confirmed(), counts.cleared(), traffic.total(), traffic.whileListed(), listedNow,
                String.format(Locale.ROOT, "%.2f", t == null ? 0 : t.trust()), t == null ? 0 : t.strikes());
    }
}
