package net.trustbl.ui;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Times and numbers the way pages show them (UTC, no locale surprises). */
public final class Fmt {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Fmt() {
    }

    public static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    public static String time(long millis) {
        return millis <= 0 ? "" : TIME.format(Instant.ofEpochMilli(millis));
    }

    public static String day(Instant t) {
        return t == null ? "" : DAY.format(t);
    }

    /** "in 3 h 20 min", "5 min ago". */
    public static String relative(long millis, long nowMillis) {
        if (millis <= 0) {
            return "";
        }
        long d = millis - nowMillis;
        String span = span(Duration.ofMillis(Math.abs(d)));
        return d >= 0 ? "in " + span : span + " ago";
    }

    static String span(Duration d) {
        long min = d.toMinutes();
        if (min < 1) {
            return "less than a minute";
        }
        if (min < 60) {
            return min + " min";
        }
        long h = d.toHours();
        if (h < 48) {
            long rest = min - h * 60;
            return h + " h" + (rest > 0 ? " " + rest + " min" : "");
        }
        return d.toDays() + " days";
    }

    public static String num(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
