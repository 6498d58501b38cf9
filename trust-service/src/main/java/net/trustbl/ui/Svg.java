package net.trustbl.ui;

import java.util.List;
import java.util.Locale;

/**
 * Small server-rendered SVG charts (no JavaScript, nothing loaded from elsewhere). Labels are
 * XML-escaped here because the result is inserted into pages unescaped.
 */
public final class Svg {

    /** One bar or point: a label for the x axis and a value. */
    public record Point(String label, double value) { }

    private static final int W = 640;
    private static final int H = 220;
    private static final int LEFT = 60;
    private static final int RIGHT = 10;
    private static final int TOP = 12;
    private static final int BOTTOM = 28;

    private Svg() {
    }

    /** Vertical bars, one per point; every {@code labelEvery}-th label is printed. */
    public static String bars(String title, List<Point> points, String color) {
        StringBuilder b = open(title);
        double max = niceMax(points.stream().mapToDouble(Point::value).max().orElse(0));
        axes(b, max, false);
        int n = Math.max(1, points.size());
        double slot = (W - LEFT - RIGHT) / (double) n;
        int labelEvery = Math.max(1, (int) Math.ceil(n / 8.0));
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            double h = max == 0 ? 0 : (H - TOP - BOTTOM) * p.value() / max;
            double x = LEFT + i * slot + slot * 0.15;
            b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %s</title></rect>",
                    x, H - BOTTOM - h, slot * 0.7, h, color, esc(p.label()), fmt(p.value())));
            if (i % labelEvery == 0) {
                b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"%s\" text-anchor=\"middle\">%s</text>",
                        x + slot * 0.35, H - 8, labelClass(i / labelEvery), esc(p.label())));
            }
        }
        return b.append("</svg>").toString();
    }

    /** A step line (trust over time) on a fixed 0..yMax scale. */
    public static String line(String title, List<Point> points, double yMax, String color) {
        StringBuilder b = open(title);
        axes(b, yMax, true);
        if (points.isEmpty()) {
            b.append("<text x=\"320\" y=\"110\" class=\"lbl\" text-anchor=\"middle\">no history yet</text>");
            return b.append("</svg>").toString();
        }
        int n = points.size();
        double step = n == 1 ? 0 : (W - LEFT - RIGHT) / (double) (n - 1);
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < n; i++) {
            double x = LEFT + (n == 1 ? (W - LEFT - RIGHT) / 2.0 : i * step);
            double y = H - BOTTOM - (H - TOP - BOTTOM) * Math.min(points.get(i).value(), yMax) / yMax;
            if (i == 0) {
                path.append(String.format(Locale.ROOT, "M%.1f %.1f", x, y));
            } else {
                path.append(String.format(Locale.ROOT, " H%.1f V%.1f", x, y));
            }
        }
        if (n == 1) {
            path.append(String.format(Locale.ROOT, " H%.1f", (double) W - RIGHT));
        }
        b.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2.5\"/>");
        for (int i = 0; i < n; i++) {
            double x = LEFT + (n == 1 ? (W - LEFT - RIGHT) / 2.0 : i * step);
            double y = H - BOTTOM - (H - TOP - BOTTOM) * Math.min(points.get(i).value(), yMax) / yMax;
            b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s: %s</title></circle>",
                    x, y, color, esc(points.get(i).label()), fmt(points.get(i).value())));
        }
        int labelEvery = Math.max(1, (int) Math.ceil(n / 6.0));
        for (int i = 0; i < n; i += labelEvery) {
            double x = LEFT + (n == 1 ? (W - LEFT - RIGHT) / 2.0 : i * step);
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"%s\" text-anchor=\"middle\">%s</text>",
                    x, H - 8, labelClass(i / labelEvery), esc(points.get(i).label())));
        }
        return b.append("</svg>").toString();
    }

    /**
     * Every other x label is "alt": at phone width the chart shrinks to half its size, so the CSS
     * doubles the label font there and hides the alt labels to keep the rest apart.
     */
    static String labelClass(int nth) {
        return nth % 2 == 0 ? "lbl" : "lbl alt";
    }

    private static StringBuilder open(String title) {
        return new StringBuilder(4096).append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(W).append(' ')
                .append(H).append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\"><title>").append(esc(title))
                .append("</title>");
    }

    private static void axes(StringBuilder b, double max, boolean fraction) {
        for (int i = 0; i <= 4; i++) {
            double v = max * i / 4;
            double y = H - BOTTOM - (H - TOP - BOTTOM) * i / 4.0;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"gl\"/>", LEFT, y, W - RIGHT, y));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"lbl\" text-anchor=\"end\">%s</text>",
                    LEFT - 6, y + 4, fraction ? String.format(Locale.ROOT, "%.2f", v) : fmt(v)));
        }
    }

    static double niceMax(double max) {
        if (max <= 4) {
            return 4;
        }
        double mag = Math.pow(10, Math.floor(Math.log10(max)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * mag >= max) {
                return m * mag;
            }
        }
        return 10 * mag;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
