package org.fineprune.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.fineprune.experiments.SweepPoint;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts, drawn with XChart: the pruning plot of one layer (after Fine-Pruning, Liu et
 * al., RAID 2018) and the attack success rate against clean accuracy of the repaired models.
 */
final class Plots {
    static {
        Headless.ensure();
    }

    /** Size of every plot, in pixels. */
    static final int WIDTH = 800;
    static final int HEIGHT = 500;

    /** The top of a pruning plot's y axis: 100 percent plus a band for the threshold labels. */
    private static final double PRUNING_Y_MAX = 115;

    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font AXIS_TITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font LABELS = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    /** Per engine, in a pruning plot: one shade of each metric's colour. */
    private static final Color[] VALID = {rgb(0x1f77b4), rgb(0x17becf), rgb(0x9467bd), rgb(0x7f7f7f)};
    private static final Color[] CLEAN = {rgb(0x2ca02c), rgb(0x8c9d1a), rgb(0x8c564b), rgb(0x4d4d4d)};
    private static final Color[] ATTACK = {rgb(0xd62728), rgb(0xff7f0e), rgb(0xe377c2), rgb(0xb03060)};
    /** Per series, in the attack/clean plot (Tableau 10). */
    private static final Color[] SERIES = {rgb(0x1f77b4), rgb(0xff7f0e), rgb(0x2ca02c), rgb(0xd62728),
        rgb(0x9467bd), rgb(0x8c564b), rgb(0xe377c2), rgb(0x7f7f7f), rgb(0xbcbd22), rgb(0x17becf)};
    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
        SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS};
    private static final Marker[] ATTACK_MARKERS = {SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP,
        SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.SQUARE};
    private static final BasicStroke[] STROKES = {
        new BasicStroke(2f),
        new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {8f, 5f}, 0f),
        new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {1f, 4f}, 0f),
        new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {8f, 4f, 2f, 4f}, 0f)};
    private static final BasicStroke THIN = new BasicStroke(1.2f);

    /**
     * Estimates for placing labels in data coordinates before XChart lays the chart out: the room
     * of the y axis and margins, a legend's padding and sample line, the plot surface's height.
     */
    private static final double Y_AXIS_WIDTH = 95;
    private static final double LEGEND_SAMPLE = 3 * 10 + 24 + 10;
    private static final double PLOT_HEIGHT = 390;
    /** Pixels between a marker's centre and its label. */
    private static final double LABEL_GAP = 7;
    /** Pixels within which a second label of the same text is left out. */
    private static final double REPEAT_DISTANCE = 14;
    private static final FontRenderContext TEXT = new FontRenderContext(null, true, true);

    private Plots() {}

    /**
     * The pruning plot of one layer: validation accuracy after each pruning step (means over seeds,
     * x = 0 the BadNet) and, at each threshold's kept model, the repaired model's clean accuracy and
     * attack success rate; one set of lines per engine.
     *
     * @param layer the layer
     * @param records the layer's records
     * @param groups the layer's (engine, drop) groups
     * @param engineNames whether to put the engine into the legend (the sweep has several)
     */
    static XYChart pruning(String layer, List<ResultRecord> records, List<GroupSummary> groups, boolean engineNames) {
        int channels = records.stream().mapToInt(r -> r.curve().length).max().orElse(0);
        XYChart chart = chart(layer + ": accuracy while pruning its " + channels + " channels",
                "channels pruned, lowest mean activation first",
                "percent");
        XYStyler styler = chart.getStyler();
        styler.setXAxisMin(0.0).setXAxisMax((double) Math.max(channels, 1));
        styler.setYAxisMin(0.0).setYAxisMax(PRUNING_Y_MAX);
        chart.setCustomYAxisTickLabelsFormatter(Plots::percentTick);

        List<String> engines = records.stream().map(ResultRecord::engine).distinct().sorted(Text.NATURAL).toList();
        for (int k = 0; k < engines.size(); k++) {
            String engine = engines.get(k);
            String prefix = engineNames ? engine + ": " : "";
            double[] x = new double[channels + 1];
            double[] y = meanCurve(records.stream().filter(r -> r.engine().equals(engine)).toList(), channels);
            for (int i = 0; i <= channels; i++) {
                x[i] = i;
            }
            line(chart, prefix + "validation accuracy", x, y, VALID[k % VALID.length], STROKES[k % STROKES.length],
                    SeriesMarkers.NONE);

            List<GroupSummary> kept = groups.stream().filter(g -> g.engine().equals(engine))
                    .sorted((a, b) -> Double.compare(a.pruned().mean(), b.pruned().mean())).toList();
            double[][] clean = points(kept, GroupSummary::repairedClean);
            if (clean[0].length > 0) {
                line(chart, prefix + "clean accuracy, repaired", clean[0], clean[1], CLEAN[k % CLEAN.length], THIN,
                        MARKERS[k % MARKERS.length]);
            }
            double[][] attack = points(kept, GroupSummary::repairedAttack);
            if (attack[0].length > 0) {
                line(chart, prefix + "attack success rate, repaired", attack[0], attack[1],
                        ATTACK[k % ATTACK.length], THIN, ATTACK_MARKERS[k % ATTACK_MARKERS.length]);
            }
        }
        List<ThresholdMarks.Mark> marks = marks(groups);
        double unitsPerPixel = Math.max(channels, 1) / plotWidth(chart, ThresholdMarks.LEGEND);
        ThresholdMarks.add(chart, marks, Math.max(channels, 1), 100, PRUNING_Y_MAX,
                marks.stream().map(m -> (width(m.text()) + 10) * unitsPerPixel).toList());
        return chart;
    }

    /**
     * Attack success rate against clean accuracy of the repaired models: one series per (layer,
     * engine), a point per threshold labelled with its drop, and the BadNet itself.
     *
     * @param groups every (layer, engine, drop) group
     * @param records every record, for the BadNet's scores
     * @param names the series' names by {@link GroupSummary#series()}
     */
    static XYChart attackVsClean(List<GroupSummary> groups, List<ResultRecord> records, Map<String, String> names) {
        XYChart chart = chart("Repaired models: attack success rate against clean accuracy",
                "clean test accuracy of the repaired model, percent (labels: accuracy drop in points)",
                "attack success rate, percent");
        Map<String, List<GroupSummary>> bySeries = new LinkedHashMap<>();
        for (GroupSummary g : groups) {
            bySeries.computeIfAbsent(g.series(), s -> new ArrayList<>()).add(g);
        }
        List<PointLabel> labels = new ArrayList<>();
        List<Double> xs = new ArrayList<>();
        int k = 0;
        for (Map.Entry<String, List<GroupSummary>> entry : bySeries.entrySet()) {
            List<GroupSummary> series = entry.getValue().stream()
                    .filter(g -> !Double.isNaN(g.repairedClean().mean()) && !Double.isNaN(g.repairedAttack().mean()))
                    .toList();
            if (series.isEmpty()) {
                continue;
            }
            double[] x = series.stream().mapToDouble(g -> g.repairedClean().mean()).toArray();
            double[] y = series.stream().mapToDouble(g -> g.repairedAttack().mean()).toArray();
            line(chart, names.get(entry.getKey()), x, y, SERIES[k % SERIES.length], THIN, MARKERS[k % MARKERS.length]);
            for (GroupSummary g : series) {
                labels.add(new PointLabel(g.repairedClean().mean(), g.repairedAttack().mean(),
                        SweepPoint.number(g.drop())));
                xs.add(g.repairedClean().mean());
            }
            k++;
        }
        Stat badClean = Stat.of(records, ResultRecord::baselineClean);
        Stat badAttack = Stat.of(records, ResultRecord::baselineAttack);
        if (badClean.n() > 0 && badAttack.n() > 0) {
            XYSeries badNet = line(chart, "BadNet, not pruned", new double[] {badClean.mean()},
                    new double[] {badAttack.mean()}, Color.BLACK, THIN, SeriesMarkers.CROSS);
            badNet.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
            xs.add(badClean.mean());
        }
        double min = xs.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double max = xs.stream().mapToDouble(Double::doubleValue).max().orElse(100);
        double pad = Math.max(1, 0.08 * (max - min));
        double[] xRange = {Math.max(0, Math.floor(min - pad)), Math.min(100, Math.ceil(max + pad))};
        if (xRange[1] - xRange[0] < 2) {
            xRange = new double[] {Math.max(0, xRange[0] - 1), Math.min(100, xRange[1] + 1)};
        }
        XYStyler styler = chart.getStyler();
        styler.setXAxisMin(xRange[0]).setXAxisMax(xRange[1]);
        styler.setYAxisMin(0.0).setYAxisMax(100.0);
        labelPoints(chart, labels, (xRange[1] - xRange[0]) / plotWidth(chart, ""), 100 / PLOT_HEIGHT);
        return chart;
    }

    /** A label beside the point (x, y), in data coordinates. */
    private record PointLabel(double x, double y, String text) {}

    /**
     * Labels each point to the right of its marker, leaving out a label whose text already stands
     * within a few pixels (series that nearly coincide).
     */
    private static void labelPoints(XYChart chart, List<PointLabel> labels, double xPerPixel, double yPerPixel) {
        List<PointLabel> placed = new ArrayList<>();
        for (PointLabel label : labels) {
            PointLabel moved = new PointLabel(label.x() + (width(label.text()) / 2 + LABEL_GAP) * xPerPixel,
                    label.y(), label.text());
            boolean repeated = placed.stream().anyMatch(p -> p.text().equals(moved.text())
                    && Math.hypot((p.x() - moved.x()) / xPerPixel, (p.y() - moved.y()) / yPerPixel) < REPEAT_DISTANCE);
            if (!repeated) {
                chart.addAnnotation(new AnnotationText(moved.text(), moved.x(), moved.y(), false));
                placed.add(moved);
            }
        }
    }

    /**
     * The estimated width of the plot surface in pixels: the chart less the y axis and the legend of
     * the chart's series and {@code extra}, an entry still to come.
     */
    private static double plotWidth(XYChart chart, String extra) {
        double legend = Stream.concat(chart.getSeriesMap().keySet().stream(), Stream.of(extra))
                .mapToDouble(name -> LEGEND.getStringBounds(name, TEXT).getWidth()).max().orElse(0);
        return WIDTH - Y_AXIS_WIDTH - (legend + LEGEND_SAMPLE);
    }

    /** The width of {@code text} in the label font, in pixels. */
    private static double width(String text) {
        return LABELS.getStringBounds(text, TEXT).getWidth();
    }

    /**
     * A pruning plot's y tick label: the percentage up to 100, nothing visible in the label band
     * above it. XChart wants the labels of all ticks it considers (some beyond the axis) distinct,
     * and widens the tick spacing until they are, forever if they never are; so the band's labels
     * are runs of zero-width spaces, one length per tick value.
     */
    static String percentTick(double y) {
        return y > 100.5 ? "\u200B".repeat((int) Math.round(y * 10)) : String.format(Locale.ROOT, "%.0f", y);
    }

    /** {@code chart} as PNG bytes. */
    static byte[] png(XYChart chart) throws IOException {
        return BitmapEncoder.getBitmapBytes(chart, BitmapFormat.PNG);
    }

    /** The mean validation accuracy after 0..channels steps over {@code records} (x = 0: the BadNet). */
    static double[] meanCurve(List<ResultRecord> records, int channels) {
        double[] mean = new double[channels + 1];
        for (int i = 0; i <= channels; i++) {
            final int steps = i;
            mean[i] = Stat.of(records.stream().filter(r -> r.curve().length >= steps).toList(),
                    r -> r.accuracyAfter(steps)).mean();
        }
        return mean;
    }

    /**
     * One mark per distinct number of channels pruned, labelled with the drops that kept it
     * ({@code d=2} or {@code d=2, 4}). Where engines keep different models for a drop, the drop
     * labels each of their lines; the engines' markers on a line tell them apart.
     */
    static List<ThresholdMarks.Mark> marks(List<GroupSummary> groups) {
        Map<Double, Set<Double>> byX = new TreeMap<>();
        for (GroupSummary g : groups) {
            if (!Double.isNaN(g.pruned().mean())) {
                byX.computeIfAbsent(Math.round(g.pruned().mean() * 1e6) / 1e6, x -> new TreeSet<>()).add(g.drop());
            }
        }
        List<ThresholdMarks.Mark> marks = new ArrayList<>();
        byX.forEach((x, drops) -> marks.add(new ThresholdMarks.Mark(x,
                "d=" + drops.stream().map(SweepPoint::number).collect(Collectors.joining(", ")))));
        return marks;
    }

    private static double[][] points(List<GroupSummary> groups, Function<GroupSummary, Stat> metric) {
        List<GroupSummary> present = groups.stream()
                .filter(g -> !Double.isNaN(g.pruned().mean()) && !Double.isNaN(metric.apply(g).mean())).toList();
        return new double[][] {present.stream().mapToDouble(g -> g.pruned().mean()).toArray(),
            present.stream().mapToDouble(g -> metric.apply(g).mean()).toArray()};
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        XYStyler s = chart.getStyler();
        s.setLocale(Locale.ROOT);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(120, 120, 120));
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(TITLE);
        s.setAxisTitleFont(AXIS_TITLE);
        s.setAxisTickLabelsFont(TICKS);
        s.setLegendFont(LEGEND);
        s.setLegendPosition(LegendPosition.OutsideE);
        s.setLegendBackgroundColor(new Color(255, 255, 255, 235));
        s.setLegendBorderColor(new Color(160, 160, 160));
        s.setAnnotationTextFont(LABELS);
        s.setAnnotationTextFontColor(new Color(40, 40, 40));
        s.setMarkerSize(8);
        s.setXAxisDecimalPattern("0.#");
        s.setYAxisDecimalPattern("0");
        s.setAntiAlias(true);
        return chart;
    }

    private static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color,
            BasicStroke stroke, Marker marker) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setLineColor(color);
        series.setLineStyle(stroke);
        series.setMarkerColor(color);
        series.setMarker(marker);
        return series;
    }

    private static Color rgb(int rgb) {
        return new Color(rgb);
    }
}
