package org.fineprune.report;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.fineprune.experiments.PointRecord;

/**
 * One row of the report's table: the BadNet on one engine, or a group of points that differ only in
 * their seed (one defense with the same swept values on one engine), each metric's mean and sample
 * standard deviation over the seeds.
 *
 * @param defense the defense's name, {@value #BADNET} for the BadNet's row
 * @param axes the swept axes and their values (for the BadNet's row, its subject axes only)
 * @param engine the engine
 * @param seeds how many seeds the row averages
 * @param records the records averaged, one per seed
 * @param stats every metric's statistic
 */
record SummaryRow(String defense, SortedMap<String, String> axes, String engine, int seeds,
        List<PointRecord> records, Map<Metric, Stat> stats) {
    /** The defense column of the BadNet's row. */
    static final String BADNET = "none (the BadNet)";

    /** The row of one group of records, every metric averaged over them. */
    static SummaryRow group(String defense, SortedMap<String, String> axes, String engine,
            List<PointRecord> records) {
        return new SummaryRow(defense, axes, engine, records.size(), List.copyOf(records),
                stats(records, Set.of(Metric.values())));
    }

    /** The BadNet's row of the recipe {@code subject} (its subject axes): its own metrics over {@code records}, one per seed. */
    static SummaryRow badNet(SortedMap<String, String> subject, String engine, List<PointRecord> records) {
        return new SummaryRow(BADNET, new TreeMap<>(subject), engine, records.size(), List.copyOf(records),
                stats(records, Metric.BADNET));
    }

    /** Whether this is the BadNet's row. */
    boolean isBadNet() {
        return defense.equals(BADNET);
    }

    /** The statistic of {@code metric}, of no values where the row has none. */
    Stat stat(Metric metric) {
        return stats.getOrDefault(metric, Stat.NONE);
    }

    private static Map<Metric, Stat> stats(List<PointRecord> records, Set<Metric> metrics) {
        Map<Metric, Stat> stats = new EnumMap<>(Metric.class);
        for (Metric metric : metrics) {
            stats.put(metric, Stat.of(records, metric::of));
        }
        return stats;
    }
}
