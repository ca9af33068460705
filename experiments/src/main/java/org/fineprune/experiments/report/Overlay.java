package org.fineprune.experiments.report;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import org.knowm.xchart.internal.chartpart.Annotation;

/**
 * Something drawn over an XY chart after its series and legend, in the chart's data coordinates.
 *
 * <p>XChart's own annotations draw one colour of text at a fixed place; subclassing its
 * {@link Annotation} (an internal API, hence the pinned XChart version) lets labels move out of each
 * other's way.
 */
abstract class Overlay extends Annotation {
    Overlay() {
        super(false);
    }

    @Override
    public final void paint(Graphics2D g) {
        if (!isVisible) {
            return;
        }
        Graphics2D copy = (Graphics2D) g.create();
        try {
            copy.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            copy.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            Rectangle2D plot = plotArea();
            draw(copy, plot);
            bounds = plot;
        } finally {
            copy.dispose();
        }
    }

    /** Draws the overlay on {@code g}; {@code plot} is the plot surface in screen pixels. */
    abstract void draw(Graphics2D g, Rectangle2D plot);

    /** The screen x of data value {@code x}. */
    final double screenX(double x) {
        return getXAxisScreenValue(x);
    }

    /** The screen y of data value {@code y}. */
    final double screenY(double y) {
        return getYAxisScreenValue(y);
    }

    private Rectangle2D plotArea() {
        double left = Math.min(getXAxisScreenValueForMin(), getXAxisScreenValueForMax());
        double right = Math.max(getXAxisScreenValueForMin(), getXAxisScreenValueForMax());
        double upper = Math.min(getYAxisScreenValueForMin(), getYAxisScreenValueForMax());
        double lower = Math.max(getYAxisScreenValueForMin(), getYAxisScreenValueForMax());
        return new Rectangle2D.Double(left, upper, right - left, lower - upper);
    }
}
