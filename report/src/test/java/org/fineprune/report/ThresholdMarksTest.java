package org.fineprune.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

class ThresholdMarksTest {
    private static final List<ThresholdMarks.Mark> CLOSE = List.of(new ThresholdMarks.Mark(45.5, "d=2"),
            new ThresholdMarks.Mark(47.4, "d=4"), new ThresholdMarks.Mark(50.5, "d=10"),
            new ThresholdMarks.Mark(51, "d=20"), new ThresholdMarks.Mark(58, "d=30"));

    @Test
    void labels_that_would_overlap_go_up_a_row_and_the_top_row_takes_the_rest() {
        List<ThresholdMarks.Label> labels = ThresholdMarks.place(CLOSE, List.of(4.0, 4.0, 4.0, 4.0, 4.0), 60);

        assertEquals(List.of(0, 1, 0, 2, 0), labels.stream().map(ThresholdMarks.Label::row).toList());
    }

    @Test
    void labels_stay_inside_the_x_axis() {
        List<ThresholdMarks.Label> labels = ThresholdMarks.place(
                List.of(new ThresholdMarks.Mark(0, "d=1"), new ThresholdMarks.Mark(1, "d=2, 4")), List.of(0.2, 0.4), 1);

        assertEquals(List.of(0.1, 0.8), labels.stream().map(ThresholdMarks.Label::x).toList());
        assertEquals(List.of(0, 0), labels.stream().map(ThresholdMarks.Label::row).toList());
    }

    @Test
    void one_dashed_line_per_mark_and_one_legend_entry_for_them_all() {
        XYChart chart = new XYChart(800, 500);

        ThresholdMarks.add(chart, CLOSE, 60, 100, 115, List.of(4.0, 4.0, 4.0, 4.0, 4.0));

        assertEquals(5, chart.getSeriesMap().size());
        assertEquals(List.of(ThresholdMarks.LEGEND), chart.getSeriesMap().values().stream()
                .filter(XYSeries::isShowInLegend).map(XYSeries::getName).toList());
    }
}
