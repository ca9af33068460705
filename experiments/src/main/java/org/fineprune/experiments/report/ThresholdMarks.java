package org.fineprune.experiments.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Stroke;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.List;

/**
 * The vertical lines of a pruning plot at the models the thresholds keep, each labelled in a band
 * above the top of the percent scale; a label that would overlap another goes one row up.
 */
final class ThresholdMarks extends Overlay {
    private static final Color LINE = new Color(110, 110, 110);
    private static final Color TEXT = new Color(40, 40, 40);
    private static final Stroke DASHED =
            new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f);

    /** One line: channels pruned and its label. */
    record Mark(double x, String text) {}

    private final List<Mark> marks;
    private final double top;
    private final Font font;

    /**
     * Marks drawn from the bottom of the plot up to their label.
     *
     * @param marks the lines, in increasing x
     * @param top the y value where the label band begins (100 percent)
     * @param font the labels' font
     */
    ThresholdMarks(List<Mark> marks, double top, Font font) {
        this.marks = List.copyOf(marks);
        this.top = top;
        this.font = font;
    }

    @Override
    void draw(Graphics2D g, Rectangle2D plot) {
        double bandBottom = screenY(top) - 2;
        double rowHeight = Boxes.height(font) + 2;
        int rows = Math.max(1, (int) ((bandBottom - plot.getMinY()) / rowHeight));
        Boxes boxes = new Boxes();
        for (Mark mark : marks) {
            double x = screenX(mark.x());
            Rectangle2D size = Boxes.size(mark.text(), font);
            Rectangle2D box = null;
            for (int row = 0; row < rows && box == null; row++) {
                Rectangle2D candidate = at(x, bandBottom - row * rowHeight, size, plot);
                if (boxes.free(candidate, plot)) {
                    box = candidate;
                }
            }
            if (box == null) {
                // Every row is taken here: the top row hides the fewest lines.
                box = at(x, bandBottom - (rows - 1) * rowHeight, size, plot);
            }
            g.setColor(LINE);
            g.setStroke(DASHED);
            g.draw(new Line2D.Double(x, plot.getMaxY(), x, box.getMaxY()));
            boxes.draw(g, mark.text(), box, font, TEXT);
        }
    }

    /** A box of {@code size} centred on {@code x} with its bottom at {@code bottom}, kept inside the plot. */
    private static Rectangle2D at(double x, double bottom, Rectangle2D size, Rectangle2D plot) {
        double left = Math.max(plot.getMinX() + 1,
                Math.min(x - size.getWidth() / 2, plot.getMaxX() - 1 - size.getWidth()));
        return new Rectangle2D.Double(left, bottom - size.getHeight(), size.getWidth(), size.getHeight());
    }
}
