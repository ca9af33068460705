package org.fineprune.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The vertical lines of a pruning plot at the models the thresholds keep, each labelled in a band
 * above the top of the percent scale; a label that would overlap one before it goes a row up.
 */
final class ThresholdMarks {
    private static final Color LINE = new Color(110, 110, 110);
    private static final BasicStroke DASHED =
            new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f);

    /** Rows of labels in the band; a label that finds every row taken goes into the top one. */
    private static final int ROWS = 3;

    /** The legend's entry for the lines. */
    static final String LEGEND = "model kept for accuracy drop d";

    /** One line: channels pruned and its label. */
    record Mark(double x, String text) {}

    private ThresholdMarks() {}

    /**
     * Draws {@code marks} on {@code chart}: lines from 0 up to their label, labels in rows between
     * {@code top} and {@code yMax}, kept inside the x axis; the first line stands in the legend.
     *
     * @param chart the pruning plot
     * @param marks the lines, in increasing x
     * @param xMax the right end of the x axis (the left is 0)
     * @param top the y value where the label band begins (100 percent)
     * @param yMax the top of the y axis
     * @param widths the width of each mark's label in x data units
     */
    static void add(XYChart chart, List<Mark> marks, double xMax, double top, double yMax, List<Double> widths) {
        double row = (yMax - top) / ROWS;
        List<Label> labels = place(marks, widths, xMax);
        for (int i = 0; i < marks.size(); i++) {
            double x = marks.get(i).x();
            double y = top + (labels.get(i).row() + 0.5) * row;
            XYSeries line = chart.addSeries(i == 0 ? LEGEND : LEGEND + " " + i, new double[] {x, x},
                    new double[] {0, y - 0.35 * row});
            line.setLineColor(LINE);
            line.setLineStyle(DASHED);
            line.setMarker(SeriesMarkers.NONE);
            line.setShowInLegend(i == 0);
            chart.addAnnotation(new AnnotationText(marks.get(i).text(), labels.get(i).x(), y, false));
        }
    }

    /** Where a mark's label goes: its centre in x data units and its row, 0 the lowest. */
    record Label(double x, int row) {}

    /**
     * Places each mark's label centred on its line but inside 0..{@code xMax}, in the lowest row
     * where it overlaps no label placed before it.
     *
     * @param marks the lines, in increasing x
     * @param widths the width of each label in x data units
     * @param xMax the right end of the x axis
     */
    static List<Label> place(List<Mark> marks, List<Double> widths, double xMax) {
        double[] rowEnds = new double[ROWS];
        Arrays.fill(rowEnds, Double.NEGATIVE_INFINITY);
        List<Label> labels = new ArrayList<>();
        for (int i = 0; i < marks.size(); i++) {
            double half = widths.get(i) / 2;
            double centre = Math.max(half, Math.min(marks.get(i).x(), xMax - half));
            int row = 0;
            while (row < ROWS - 1 && centre - half <= rowEnds[row]) {
                row++;
            }
            rowEnds[row] = centre + half;
            labels.add(new Label(centre, row));
        }
        return labels;
    }
}
