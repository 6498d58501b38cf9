package net.trustbl.ui;

import net.trustbl.stats.StatsService;
import net.trustbl.stats.StatsService.DayCount;

import java.util.ArrayList;
import java.util.List;

/** The statistics page's charts, drawn once per computation of the {@code stats} they show. */
public record StatsCharts(StatsService.Stats stats, String reports, String listings, String active) {

    static StatsCharts of(StatsService.Stats s) {
        return new StatsCharts(s, Svg.bars("Reports per day, last 30 days", points(s.reports()), "#2f6fb3"),
                Svg.bars("New listings per day, last 30 days", points(s.listings()), "#c0392b"),
                Svg.bars("Listed addresses at the end of each day (the last bar: now)", activePoints(s), "#7d5ba6"));
    }

    /** The listed addresses per day; the last bar, what is listed now, is labelled "now". */
    static List<Svg.Point> activePoints(StatsService.Stats s) {
        List<Svg.Point> a = points(s.active());
        if (!a.isEmpty()) {
            a.set(a.size() - 1, new Svg.Point("now", a.get(a.size() - 1).value()));
        }
        return a;
    }

    /** One bar per day, labelled MM-dd. */
    private static List<Svg.Point> points(List<DayCount> days) {
        List<Svg.Point> out = new ArrayList<>(days.size());
        for (DayCount d : days) {
            out.add(new Svg.Point(d.day().toString().substring(5), d.count()));
        }
        return out;
    }
}
