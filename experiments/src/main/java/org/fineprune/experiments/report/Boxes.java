package org.fineprune.experiments.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.font.FontRenderContext;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

/** Text boxes placed on a chart without overlapping each other or the areas to keep clear. */
final class Boxes {
    private static final FontRenderContext CONTEXT = new FontRenderContext(null, true, true);
    private static final Color BACKGROUND = new Color(255, 255, 255, 215);

    private final List<Rectangle2D> taken = new ArrayList<>();

    /** Marks {@code area} as taken: no box is placed over it. */
    void keepClear(Rectangle2D area) {
        taken.add(area);
    }

    /** Whether {@code box} overlaps nothing taken and lies inside {@code within}. */
    boolean free(Rectangle2D box, Rectangle2D within) {
        if (!within.contains(box)) {
            return false;
        }
        for (Rectangle2D other : taken) {
            if (other.intersects(box)) {
                return false;
            }
        }
        return true;
    }

    /** Draws {@code text} in {@code box} (from {@link #size}) over a light background and marks it taken. */
    void draw(Graphics2D g, String text, Rectangle2D box, Font font, Color color) {
        g.setColor(BACKGROUND);
        g.fill(box);
        g.setColor(color);
        g.setFont(font);
        Rectangle2D bounds = font.getStringBounds(text, CONTEXT);
        float x = (float) (box.getX() + (box.getWidth() - bounds.getWidth()) / 2);
        float y = (float) (box.getY() + (box.getHeight() - bounds.getHeight()) / 2 - bounds.getY());
        g.drawString(text, x, y);
        taken.add(box);
    }

    /** The size of {@code text}'s box in {@code font}, one pixel of padding around it. */
    static Rectangle2D size(String text, Font font) {
        Rectangle2D bounds = font.getStringBounds(text, CONTEXT);
        return new Rectangle2D.Double(0, 0, bounds.getWidth() + 4, bounds.getHeight() + 2);
    }

    /** The width of {@code text} in {@code font}, in pixels. */
    static double width(String text, Font font) {
        return font.getStringBounds(text, CONTEXT).getWidth();
    }

    /** The line height of {@code font}, in pixels. */
    static double height(Font font) {
        return font.getStringBounds("Xg", CONTEXT).getHeight();
    }
}
