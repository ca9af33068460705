package org.fineprune.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.knowm.xchart.AnnotationLine;
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
 * The report's charts, drawn through XChart's public API: the pruning figure of one pass (after
 * Fine-Pruning, Liu, Dolan-Gavitt and Garg, RAID 2018) and the repaired models' clean accuracy
 * against attack success rate.
 */
final class Plots {
    static {
        Headless.ensure();
    }

    /** Size of every plot, in pixels. */
    static final int WIDTH = 800;
    static final int HEIGHT = 500;

    /** The legend entry of the attack success rate along the pruning steps. */
    static final String ATTACK_SERIES = "attack success rate (poisoned test set, plot only)";
    /** The legend entry of the validation accuracy along the pruning steps. */
    static final String VALID_SERIES = "validation accuracy";

    /** The top of a pruning plot's y axis: 100 percent plus a band for the threshold labels. */
    private static final double PRUNING_Y_MAX = 115;
    /** Rows of threshold labels in the band above 100 percent. */
    private static final int LABEL_ROWS = 3;
    /** An estimate of the plot surface's width with the legend below it, to place labels beside points. */
    private static final double PLOT_WIDTH = WIDTH - 90;
    private static final double PLOT_HEIGHT = HEIGHT - 160;

    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font AXIS_TITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font LABELS = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final FontRenderContext TEXT = new FontRenderContext(null, true, true);

    private static final Color VALID = rgb(0x1f77b4);
    private static final Color ATTACK = rgb(0xd62728);
    /** Per series, in the clean/attack plot (Tableau 10). */
    private static final Color[] SERIES = {rgb(0x1f77b4), rgb(0xff7f0e), rgb(0x2ca02c), rgb(0xd62728),
        rgb(0x9467bd), rgb(0x8c564b), rgb(0xe377c2), rgb(0x7f7f7f), rgb(0xbcbd22), rgb(0x17becf)};
    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
        SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN};
    private static final BasicStroke LINE = new BasicStroke(2f);
    private static final BasicStroke DASHED =
            new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {8f, 5f}, 0f);
    private static final BasicStroke MARK =
            new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f);

    private Plots() {}

    /**
     * The pruning figure of one pass, as the paper draws it: validation accuracy and attack success
     * rate against channels pruned (x = 0 the BadNet), a dashed vertical line at the model each
     * threshold kept, labelled with its thresholds.
     */
    static XYChart pruning(PruningPass pass) {
        int steps = pass.steps();
        XYChart chart = chart("Pruning " + PointKeys.join(PointKeys.pairs(pass.key())).replace(",", ", "),
                "channels pruned", "percent");
        XYStyler styler = chart.getStyler();
        styler.setLegendPosition(LegendPosition.OutsideS);
        styler.setXAxisMin(0.0).setXAxisMax((double) steps);
        styler.setYAxisMin(0.0).setYAxisMax(PRUNING_Y_MAX);
        styler.setAnnotationLineColor(new Color(110, 110, 110));
        styler.setAnnotationLineStroke(MARK);
        chart.setCustomYAxisTickLabelsFormatter(Plots::percentTick);
        if (pass.validAccuracy().length > 0) {
            line(chart, VALID_SERIES, pass.validAccuracy(), VALID, LINE);
        }
        if (pass.attackSuccessRate().length > 0) {
            line(chart, ATTACK_SERIES, pass.attackSuccessRate(), ATTACK, DASHED);
        }
        double row = (PRUNING_Y_MAX - 100) / LABEL_ROWS;
        double xPerPixel = steps / PLOT_WIDTH;
        for (int i = 0; i < pass.marks().size(); i++) {
            PruningPass.Mark mark = pass.marks().get(i);
            chart.addAnnotation(new AnnotationLine(mark.step(), true, false));
            double x = Math.min(mark.step() + (width(mark.label()) / 2 + 4) * xPerPixel,
                    steps - width(mark.label()) / 2 * xPerPixel);
            chart.addAnnotation(new AnnotationText(mark.label(), x, 100 + (i % LABEL_ROWS + 0.5) * row, false));
        }
        return chart;
    }

    /**
     * Clean accuracy against attack success rate, as the field's leaderboards draw it: a point per
     * group of repaired models (one series per defense, and per engine where there are several),
     * labelled with its swept values, and the BadNet's point per engine.
     *
     * @return the chart, or {@code null} where no row has both numbers
     */
    static XYChart cleanVsAttack(Table table) {
        XYChart chart = chart("Clean accuracy against attack success rate", "clean test accuracy, percent",
                "attack success rate, percent");
        boolean engines = table.badNets().stream().map(SummaryRow::engine).distinct().count() > 1;
        Map<String, List<SummaryRow>> bySeries = new LinkedHashMap<>();
        for (SummaryRow row : table.rows()) {
            if (!Double.isNaN(clean(row)) && !Double.isNaN(attack(row))) {
                String name = row.isBadNet() ? "BadNet" : row.defense();
                bySeries.computeIfAbsent(engines ? name + " / " + row.engine() : name, s -> new ArrayList<>())
                        .add(row);
            }
        }
        if (bySeries.isEmpty()) {
            return null;
        }
        List<Double> xs = table.rows().stream().map(Plots::clean).filter(x -> !Double.isNaN(x)).toList();
        double min = xs.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double max = xs.stream().mapToDouble(Double::doubleValue).max().orElse(100);
        double pad = Math.max(2, 0.1 * (max - min));
        double left = Math.max(0, Math.floor(min - pad));
        double right = Math.min(100, Math.ceil(max + pad));
        XYStyler styler = chart.getStyler();
        styler.setXAxisMin(left).setXAxisMax(right);
        styler.setYAxisMin(0.0).setYAxisMax(100.0);
        double xPerPixel = (right - left) / (PLOT_WIDTH - 250);
        int k = 0;
        for (Map.Entry<String, List<SummaryRow>> entry : bySeries.entrySet()) {
            List<SummaryRow> rows = entry.getValue();
            boolean badNet = rows.get(0).isBadNet();
            XYSeries series = chart.addSeries(entry.getKey(), rows.stream().mapToDouble(Plots::clean).toArray(),
                    rows.stream().mapToDouble(Plots::attack).toArray());
            series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
            Color colour = badNet ? Color.BLACK : SERIES[k % SERIES.length];
            series.setMarkerColor(colour);
            series.setMarker(badNet ? SeriesMarkers.CROSS : MARKERS[k % MARKERS.length]);
            k += badNet ? 0 : 1;
            for (SummaryRow row : rows) {
                String label = row.axes().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(", "));
                if (!label.isEmpty()) {
                    chart.addAnnotation(new AnnotationText(label, clean(row) + (width(label) / 2 + 7) * xPerPixel,
                            attack(row) + 7 * 100 / PLOT_HEIGHT, false));
                }
            }
        }
        return chart;
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

    /** The clean accuracy of a row's model: the BadNet's in its row, else the repaired model's. */
    private static double clean(SummaryRow row) {
        return row.stat(row.isBadNet() ? Metric.BADNET_CLEAN : Metric.REPAIRED_CLEAN).mean();
    }

    /** The attack success rate of a row's model: the BadNet's in its row, else the repaired model's. */
    private static double attack(SummaryRow row) {
        return row.stat(row.isBadNet() ? Metric.BADNET_ATTACK : Metric.REPAIRED_ATTACK).mean();
    }

    /** The width of {@code text} in the label font, in pixels. */
    private static double width(String text) {
        return LABELS.getStringBounds(text, TEXT).getWidth();
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
        s.setLegendBorderColor(new Color(160, 160, 160));
        s.setAnnotationTextFont(LABELS);
        s.setAnnotationTextFontColor(new Color(40, 40, 40));
        s.setMarkerSize(8);
        s.setXAxisDecimalPattern("0.#");
        s.setYAxisDecimalPattern("0");
        s.setAntiAlias(true);
        return chart;
    }

    /** A line of {@code y} over x = 0, 1, 2, ..., without markers, skipping the steps where {@code y} is NaN. */
    private static void line(XYChart chart, String name, double[] y, Color color, BasicStroke stroke) {
        int[] known = IntStream.range(0, y.length).filter(i -> !Double.isNaN(y[i])).toArray();
        XYSeries series = chart.addSeries(name, Arrays.stream(known).asDoubleStream().toArray(),
                Arrays.stream(known).mapToDouble(i -> y[i]).toArray());
        series.setLineColor(color);
        series.setLineStyle(stroke);
        series.setMarker(SeriesMarkers.NONE);
    }

    private static Color rgb(int rgb) {
        return new Color(rgb);
    }
}
