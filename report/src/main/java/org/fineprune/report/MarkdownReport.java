package org.fineprune.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code report.md}: the title, the notes, the table of means over seeds, and the plots. */
final class MarkdownReport {
    /** The file name in the run folder. */
    static final String NAME = "report.md";

    /** A plot of the report: its path relative to the run folder, heading and description. */
    record Plot(String link, String heading, String alt) {}

    private MarkdownReport() {}

    /**
     * The whole report.
     *
     * @param title what the report is of: the experiment's name
     * @param notes the notes, one list item each
     * @param table the table
     * @param plots the plots, in the order they are shown
     */
    static String render(String title, List<String> notes, Table table, List<Plot> plots) {
        StringBuilder md = new StringBuilder("# Sweep report: ").append(title).append("\n\n");
        notes.forEach(note -> md.append("- ").append(note).append('\n'));

        md.append("\n## Summary\n\n");
        md.append("Mean ± sample standard deviation over the seeds of each row, in percent (AUROC from 0 to 1, "
                + "seconds for the defense's time and for the detector's per 1,000 test images); – where a row "
                + "has no such number, and a column no row has is left out. "
                + "The repaired model is the defense's output; the detector answers an extra class for an "
                + "input it flags. The same numbers with four decimals are in [")
                .append(SummaryCsv.NAME).append("](").append(SummaryCsv.NAME).append(").\n\n");
        List<String> header = new ArrayList<>(List.of("defense"));
        header.addAll(table.axes());
        header.addAll(List.of("engine", "seeds"));
        table.metrics().forEach(m -> header.add(m.header()));
        int text = 2 + table.axes().size();
        md.append("| ").append(String.join(" | ", header.stream().map(Text::cell).toList())).append(" |\n|")
                .append("---|".repeat(text)).append("---:|".repeat(header.size() - text)).append('\n');
        for (SummaryRow row : table.rows()) {
            List<String> cells = new ArrayList<>(List.of(Text.cell(row.defense())));
            table.axes().forEach(axis -> cells.add(Text.cell(row.axes().getOrDefault(axis, ""))));
            cells.add(Text.cell(row.engine()));
            cells.add(Integer.toString(row.seeds()));
            table.metrics().forEach(m -> cells.add(cell(row.stat(m))));
            md.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }

        if (!plots.isEmpty()) {
            md.append("\n## Plots\n");
        }
        for (Plot plot : plots) {
            md.append("\n### ").append(plot.heading()).append("\n\n![").append(plot.alt()).append("](")
                    .append(plot.link()).append(")\n");
        }
        return md.toString();
    }

    /** A statistic as the report writes it: mean ± sample standard deviation, the mean alone for one value, – for none. */
    static String cell(Stat stat) {
        if (stat.n() == 0) {
            return "–";
        }
        return stat.n() == 1 ? String.format(Locale.ROOT, "%.2f", stat.mean())
                : String.format(Locale.ROOT, "%.2f ± %.2f", stat.mean(), stat.sd());
    }
}
