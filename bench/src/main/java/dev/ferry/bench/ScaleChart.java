package dev.ferry.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code --scale} chart, as SVG written by hand: time against entries (log–log) on the left,
 * bytes per entry against entries (log x) on the right, one line per series, with the issue's
 * goals drawn in (5 s for a 1,000,000-entry no-op, 300 bytes per entry).
 */
final class ScaleChart {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    private static final int W = 460;
    private static final int H = 340;
    private static final int LEFT = 60;
    private static final int TOP = 30;
    private static final int PW = 380;
    private static final int PH = 250;

    /** One point of a series. */
    record Point(long entries, double value) {
    }

    private final Map<String, List<Point>> time = new LinkedHashMap<>();
    private final Map<String, List<Point>> bytes = new LinkedHashMap<>();
    /** One colour per series, the same in both panels. */
    private final Map<String, String> colours = new LinkedHashMap<>();

    void time(String series, long entries, double seconds) {
        colours.computeIfAbsent(series, s -> COLOURS[colours.size() % COLOURS.length]);
        time.computeIfAbsent(series, s -> new ArrayList<>()).add(new Point(entries, seconds));
    }

    void bytesPerEntry(String series, long entries, double b) {
        colours.computeIfAbsent(series, s -> COLOURS[colours.size() % COLOURS.length]);
        bytes.computeIfAbsent(series, s -> new ArrayList<>()).add(new Point(entries, b));
    }

    String svg(String title) {
        StringBuilder s = new StringBuilder();
        int legendRows = Math.max(time.size(), bytes.size());
        int height = H + 18 * legendRows + 20;
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"11\">%n", 2 * W, height));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" font-size=\"13\">%s</text>%n", LEFT, esc(title)));
        panel(s, 0, time, true, "seconds", 5.0, "goal: 1M no-op < 5 s");
        panel(s, W, bytes, false, "bytes per entry", 300.0, "goal: < 300 B/entry");
        s.append("</svg>\n");
        return s.toString();
    }

    private void panel(StringBuilder s, int x0, Map<String, List<Point>> data, boolean logY, String yLabel,
            double goal, String goalLabel) {
        double xMin = Double.MAX_VALUE;
        double xMax = 0;
        double yMin = Double.MAX_VALUE;
        double yMax = 0;
        for (List<Point> ps : data.values()) {
            for (Point p : ps) {
                xMin = Math.min(xMin, p.entries());
                xMax = Math.max(xMax, p.entries());
                yMin = Math.min(yMin, p.value());
                yMax = Math.max(yMax, p.value());
            }
        }
        if (xMax == 0) {
            return;
        }
        yMax = Math.max(yMax, goal);
        double lx0 = Math.floor(Math.log10(xMin));
        double lx1 = Math.max(lx0 + 1, Math.ceil(Math.log10(xMax)));
        double y0 = logY ? Math.floor(Math.log10(Math.max(1e-3, Math.min(yMin, goal)))) : 0;
        double y1 = logY ? Math.ceil(Math.log10(yMax)) : niceCeil(yMax * 1.05);
        int px = x0 + LEFT;
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
                + " stroke=\"#444\"/>%n", px, TOP, PW, PH));
        for (double d = lx0; d <= lx1; d++) {
            double x = px + (d - lx0) / (lx1 - lx0) * PW;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    x, TOP, x, TOP + PH, x, TOP + PH + 14, count(Math.pow(10, d))));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">entries (log)</text>%n",
                px + PW / 2, TOP + PH + 30));
        int ticks = logY ? (int) (y1 - y0) : 5;
        for (int i = 0; i <= ticks; i++) {
            double v = logY ? Math.pow(10, y0 + i) : y1 * i / ticks;
            double y = yPos(v, logY, y0, y1);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    px, y, px + PW, y, px - 4, y + 4, num(v)));
        }
        s.append(String.format(Locale.ROOT, "<text transform=\"translate(%d,%d) rotate(-90)\" text-anchor=\"middle\">"
                + "%s%s</text>%n", x0 + 14, TOP + PH / 2, yLabel, logY ? " (log)" : ""));
        double gy = yPos(goal, logY, y0, y1);
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#000\""
                + " stroke-dasharray=\"4 3\"/><text x=\"%d\" y=\"%.1f\">%s</text>%n",
                px, gy, px + PW, gy, px + 4, gy - 3, esc(goalLabel)));
        int k = 0;
        for (Map.Entry<String, List<Point>> e : data.entrySet()) {
            String c = colours.get(e.getKey());
            StringBuilder pts = new StringBuilder();
            for (Point p : e.getValue()) {
                double x = px + (Math.log10(p.entries()) - lx0) / (lx1 - lx0) * PW;
                double y = yPos(p.value(), logY, y0, y1);
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x, y, c));
            }
            s.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\""
                    + " stroke-width=\"1.5\"/>%n", pts.toString().strip(), c));
            int ly = TOP + PH + 50 + 18 * k;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\""
                    + " stroke-width=\"2\"/><text x=\"%d\" y=\"%d\">%s</text>%n",
                    px, ly - 4, px + 20, ly - 4, c, px + 26, ly, esc(e.getKey())));
            k++;
        }
    }

    private static double yPos(double v, boolean logY, double y0, double y1) {
        double f = logY ? (Math.log10(Math.max(v, Math.pow(10, y0))) - y0) / (y1 - y0) : v / y1;
        return TOP + PH - f * PH;
    }

    private static double niceCeil(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String count(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.0fM", v / 1e6);
        }
        return v >= 1e3 ? String.format(Locale.ROOT, "%.0fk", v / 1e3) : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String num(double v) {
        return v >= 1 || v == 0 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%s", v);
    }

    private static String esc(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
