package net.trustbl.ui;

import net.trustbl.report.MemberReportStore;

import java.util.ArrayList;
import java.util.List;

/** One of the member's reports; {@code weighed}: false for one filed before the member's email was confirmed (strength 0). */
public record MemberReportRow(long id, String ip, String verdict, String category, String note, String channel,
                              String createdAt, String outcome, boolean weighed) {
    static List<MemberReportRow> of(List<MemberReportStore.MemberReport> reports) {
        List<MemberReportRow> out = new ArrayList<>(reports.size());
        for (MemberReportStore.MemberReport r : reports) {
            out.add(new MemberReportRow(r.id(), r.ip(), r.verdict(), r.category(), r.note(), r.channel(), Fmt.time(r.createdAt()),
                    r.outcome(), r.strength() > 0));
        }
        return out;
    }
}
