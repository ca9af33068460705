package org.fineprune.experiments.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

/**
 * Short labels beside the points of a scatter plot. Each label takes the first position around its
 * point that overlaps no other label, no marker and no area kept clear (the legend); a label that
 * finds none is dropped when the same text already stands close by, and drawn beside its point
 * otherwise.
 */
final class PointLabels extends Overlay {
    /** One label: the point's data coordinates, its text and colour. */
    record Label(double x, double y, String text, Color color) {}

    private static final double GAP = 5;
    private static final double MARKER = 5;

    private final List<Label> labels;
    private final Font font;
    private final LegendPlacement legend;

    /**
     * Labels for the given points.
     *
     * @param labels the labels, the most important first
     * @param font their font
     * @param legend where the legend is, so that no label covers it
     */
    PointLabels(List<Label> labels, Font font, LegendPlacement legend) {
        this.labels = List.copyOf(labels);
        this.font = font;
        this.legend = legend;
    }

    @Override
    void draw(Graphics2D g, Rectangle2D plot) {
        Boxes boxes = new Boxes();
        boxes.keepClear(legend.in(plot));
        for (Label label : labels) {
            boxes.keepClear(new Rectangle2D.Double(screenX(label.x()) - MARKER, screenY(label.y()) - MARKER,
                    2 * MARKER, 2 * MARKER));
        }
        List<Placed> placed = new ArrayList<>();
        for (Label label : labels) {
            double x = screenX(label.x());
            double y = screenY(label.y());
            Rectangle2D size = Boxes.size(label.text(), font);
            Rectangle2D box = null;
            for (Rectangle2D candidate : candidates(x, y, size)) {
                if (boxes.free(candidate, plot)) {
                    box = candidate;
                    break;
                }
            }
            if (box == null) {
                boolean repeated = placed.stream().anyMatch(p -> p.text().equals(label.text())
                        && Math.hypot(p.x() - x, p.y() - y) < 3 * size.getHeight());
                if (repeated) {
                    continue;
                }
                box = candidates(x, y, size).get(0);
            }
            boxes.draw(g, label.text(), box, font, label.color());
            placed.add(new Placed(x, y, label.text()));
        }
    }

    /** Positions around a point at screen (x, y): right, left, above, below, then the diagonals. */
    private static List<Rectangle2D> candidates(double x, double y, Rectangle2D size) {
        double w = size.getWidth();
        double h = size.getHeight();
        return List.of(
                new Rectangle2D.Double(x + GAP, y - h / 2, w, h),
                new Rectangle2D.Double(x - GAP - w, y - h / 2, w, h),
                new Rectangle2D.Double(x - w / 2, y - GAP - h, w, h),
                new Rectangle2D.Double(x - w / 2, y + GAP, w, h),
                new Rectangle2D.Double(x + GAP, y - GAP - h, w, h),
                new Rectangle2D.Double(x + GAP, y + GAP, w, h),
                new Rectangle2D.Double(x - GAP - w, y - GAP - h, w, h),
                new Rectangle2D.Double(x - GAP - w, y + GAP, w, h),
                new Rectangle2D.Double(x + 2 * GAP, y - 2 * GAP - h, w, h),
                new Rectangle2D.Double(x - 2 * GAP - w, y + 2 * GAP, w, h));
    }

    private record Placed(double x, double y, String text) {}
}
