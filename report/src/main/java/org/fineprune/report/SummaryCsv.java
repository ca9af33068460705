package org.fineprune.report;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code summary.csv}: the rows of the report's {@link Table}, each metric's mean and sample
 * standard deviation over seeds with {@value #DECIMALS} decimals; a metric a row lacks is an empty
 * field.
 */
final class SummaryCsv {
    /** The file name in the run folder. */
    static final String NAME = "summary.csv";

    private static final int DECIMALS = 4;

    private SummaryCsv() {}

    /** The header of {@code table}: defense, each swept axis, engine, seeds, then {@code <metric>_mean,<metric>_sd}. */
    static List<String> columns(Table table) {
        List<String> columns = new ArrayList<>(List.of("defense"));
        columns.addAll(table.axes());
        columns.addAll(List.of("engine", "seeds"));
        for (Metric metric : table.metrics()) {
            columns.add(metric.column() + "_mean");
            columns.add(metric.column() + "_sd");
        }
        return columns;
    }

    /** The whole file: header and rows, each line ending in {@code \n}. */
    static String render(Table table) {
        StringBuilder csv = new StringBuilder();
        columns(table).forEach(c -> csv.append(csv.isEmpty() ? "" : ",").append(Text.csv(c)));
        csv.append('\n');
        for (SummaryRow row : table.rows()) {
            List<String> fields = new ArrayList<>(List.of(Text.csv(row.defense())));
            table.axes().forEach(axis -> fields.add(Text.csv(row.axes().getOrDefault(axis, ""))));
            fields.add(Text.csv(row.engine()));
            fields.add(Integer.toString(row.seeds()));
            for (Metric metric : table.metrics()) {
                fields.add(Text.fixed(row.stat(metric).mean(), DECIMALS));
                fields.add(Text.fixed(row.stat(metric).sd(), DECIMALS));
            }
            csv.append(String.join(",", fields)).append('\n');
        }
        return csv.toString();
    }
}
