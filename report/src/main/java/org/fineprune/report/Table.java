package org.fineprune.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.fineprune.experiments.PointRecord;

/**
 * The report's table, the same in {@code report.md} and {@code summary.csv}: the BadNet's row on
 * each engine (and recipe, where the sweep has subject axes), then one row per group of points that differ only in their seed, sorted by defense,
 * swept values and engine. A metric that no row has gets no column.
 *
 * @param axes the swept parameters of every record, by name
 * @param metrics the metrics that at least one row has, in {@link Metric} order
 * @param badNets the BadNet's rows, one per engine and recipe
 * @param groups the groups' rows
 */
record Table(List<String> axes, List<Metric> metrics, List<SummaryRow> badNets, List<SummaryRow> groups) {
    /** The table of {@code records}. */
    static Table of(List<PointRecord> records) {
        List<String> axes = List.copyOf(records.stream().flatMap(r -> PointKeys.swept(r.point()).keySet().stream())
                .collect(Collectors.toCollection(TreeSet::new)));

        Map<String, List<PointRecord>> bySeedless = new LinkedHashMap<>();
        for (PointRecord r : records) {
            bySeedless.computeIfAbsent(PointKeys.without(r.point(), PointKeys.SEED), k -> new ArrayList<>()).add(r);
        }
        List<SummaryRow> groups = new ArrayList<>();
        bySeedless.forEach((key, group) -> {
            SortedMap<String, String> pairs = PointKeys.pairs(key);
            groups.add(SummaryRow.group(pairs.get(PointKeys.DEFENSE), PointKeys.swept(key),
                    pairs.get(PointKeys.ENGINE), group));
        });
        Comparator<SummaryRow> order = Comparator.comparing(SummaryRow::defense, Text.NATURAL);
        for (String axis : axes) {
            order = order.thenComparing(row -> row.axes().getOrDefault(axis, ""), Text.NATURAL);
        }
        groups.sort(order.thenComparing(SummaryRow::engine, Text.NATURAL));

        // One BadNet per engine and recipe of the subject axes (network, attack, poisoning rate) where swept.
        Map<String, Map<Long, PointRecord>> bySeedOfBadNet = new TreeMap<>(Text.NATURAL);
        for (PointRecord r : records) {
            String badNet = PointKeys.join(PointKeys.subject(r.point())) + "/" + r.config().engine();
            bySeedOfBadNet.computeIfAbsent(badNet, e -> new LinkedHashMap<>()).putIfAbsent(r.seed(), r);
        }
        List<SummaryRow> badNets = new ArrayList<>();
        bySeedOfBadNet.values().forEach(bySeed -> {
            PointRecord first = bySeed.values().iterator().next();
            badNets.add(SummaryRow.badNet(PointKeys.subject(first.point()), first.config().engine(),
                    List.copyOf(bySeed.values())));
        });

        List<Metric> metrics = Stream.of(Metric.values())
                .filter(m -> Stream.concat(badNets.stream(), groups.stream()).anyMatch(row -> row.stat(m).n() > 0))
                .toList();
        return new Table(axes, metrics, badNets, groups);
    }

    /** Every row: the BadNet's, then the groups'. */
    List<SummaryRow> rows() {
        return Stream.concat(badNets.stream(), groups.stream()).toList();
    }
}
