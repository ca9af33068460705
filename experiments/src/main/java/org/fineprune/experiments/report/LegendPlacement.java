package org.fineprune.experiments.report;

import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.util.List;
import org.knowm.xchart.style.Styler.LegendPosition;

/**
 * Where a chart's legend goes: the first corner inside the plot that no line or point comes near,
 * outside on the right when every corner is taken.
 *
 * <p>XChart does not say where it will put the plot before it paints, so the choice works on an
 * estimate of the plot surface and keeps a margin around the legend.
 *
 * @param position the legend's position
 * @param width the legend's estimated width in pixels
 * @param height the legend's estimated height in pixels
 */
record LegendPlacement(LegendPosition position, double width, double height) {
    /** XChart's default legend padding and sample line length, in pixels. */
    private static final int PADDING = 10;
    private static final int LINE = 24;
    /** Room for the axes, the title and XChart's 4% inset of the data inside the plot surface. */
    private static final int AXES_WIDTH = 85;
    private static final int AXES_HEIGHT = 100;
    private static final double CONTENT = 0.92;

    /** A line of a chart in data coordinates, or single points when {@code points} is set. */
    record Trace(double[] x, double[] y, boolean points) {}

    /**
     * The first of {@code corners} whose legend box, grown by {@code margin} pixels, no trace enters.
     *
     * @param names the legend's entries
     * @param font the legend font
     * @param traces the chart's lines and points, in data coordinates
     * @param xRange the x axis' minimum and maximum
     * @param yRange the y axis' minimum and maximum
     * @param chart the chart's width and height in pixels
     * @param margin free pixels wanted around the legend
     * @param corners the inside positions to try, in order of preference
     */
    static LegendPlacement choose(List<String> names, Font font, List<Trace> traces, double[] xRange,
            double[] yRange, int[] chart, double margin, List<LegendPosition> corners) {
        double textWidth = names.stream().mapToDouble(n -> Boxes.width(n, font)).max().orElse(0);
        double width = 3 * PADDING + LINE + textWidth;
        double height = names.size() * (Boxes.height(font) + PADDING) + PADDING;
        Rectangle2D plot = new Rectangle2D.Double(0, 0, chart[0] - AXES_WIDTH, chart[1] - AXES_HEIGHT);
        for (LegendPosition corner : corners) {
            LegendPlacement placement = new LegendPlacement(corner, width, height);
            Rectangle2D box = placement.in(plot);
            Rectangle2D grown = new Rectangle2D.Double(box.getX() - margin, box.getY() - margin,
                    box.getWidth() + 2 * margin, box.getHeight() + 2 * margin);
            if (traces.stream().noneMatch(t -> enters(t, grown, plot, xRange, yRange))) {
                return placement;
            }
        }
        return new LegendPlacement(LegendPosition.OutsideE, width, height);
    }

    /** The legend's box on a plot surface {@code plot} (screen pixels); empty when outside the plot. */
    Rectangle2D in(Rectangle2D plot) {
        double left = switch (position) {
            case InsideNW, InsideSW -> plot.getMinX() + PADDING;
            case InsideNE, InsideSE -> plot.getMaxX() - PADDING - width;
            case InsideN, InsideS -> plot.getCenterX() - width / 2;
            default -> Double.NaN;
        };
        double top = switch (position) {
            case InsideNW, InsideNE, InsideN -> plot.getMinY() + PADDING;
            case InsideSW, InsideSE, InsideS -> plot.getMaxY() - PADDING - height;
            default -> Double.NaN;
        };
        return Double.isNaN(left) ? new Rectangle2D.Double() : new Rectangle2D.Double(left, top, width, height);
    }

    private static boolean enters(Trace t, Rectangle2D box, Rectangle2D plot, double[] xRange, double[] yRange) {
        for (int i = 0; i < t.x().length; i++) {
            if (box.contains(screen(t.x()[i], xRange, plot.getMinX(), plot.getWidth(), false),
                    screen(t.y()[i], yRange, plot.getMinY(), plot.getHeight(), true))) {
                return true;
            }
            if (!t.points() && i > 0) {
                for (int step = 1; step < 32; step++) {
                    double f = step / 32.0;
                    double x = t.x()[i - 1] + f * (t.x()[i] - t.x()[i - 1]);
                    double y = t.y()[i - 1] + f * (t.y()[i] - t.y()[i - 1]);
                    if (box.contains(screen(x, xRange, plot.getMinX(), plot.getWidth(), false),
                            screen(y, yRange, plot.getMinY(), plot.getHeight(), true))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static double screen(double value, double[] range, double start, double length, boolean flip) {
        double f = (value - range[0]) / (range[1] - range[0]);
        double inset = (1 - CONTENT) / 2;
        double along = (inset + CONTENT * f) * length;
        return flip ? start + length - along : start + along;
    }
}
