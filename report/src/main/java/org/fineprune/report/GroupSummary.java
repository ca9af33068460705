package org.fineprune.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One (layer, engine, drop) point of a sweep, its metrics aggregated over seeds.
 *
 * @param layer the pruned layer
 * @param engine the engine
 * @param drop the accuracy-drop threshold, in percentage points
 * @param records the group's records, in file order
 * @param seeds how many records (one per seed) the group holds
 * @param allReached whether every record reached its threshold
 * @param pruned channels pruned in the kept model
 * @param validAccuracy validation accuracy of the kept model
 * @param repairedClean clean test accuracy of the repaired model
 * @param repairedAttack attack success rate of the repaired model
 * @param goodnetClean clean test accuracy of the GoodNet
 * @param goodnetAttack attack success rate of the GoodNet
 * @param goodnetPoisonedFlagged poisoned test inputs the GoodNet flags, percent
 * @param goodnetCleanFlagged clean test inputs the GoodNet flags, percent
 */
record GroupSummary(
        String layer,
        String engine,
        double drop,
        List<ResultRecord> records,
        int seeds,
        boolean allReached,
        Stat pruned,
        Stat validAccuracy,
        Stat repairedClean,
        Stat repairedAttack,
        Stat goodnetClean,
        Stat goodnetAttack,
        Stat goodnetPoisonedFlagged,
        Stat goodnetCleanFlagged) {

    /** Orders groups by layer, engine (names with numbers in numeric order), then drop. */
    static final Comparator<GroupSummary> ORDER = Comparator.comparing(GroupSummary::layer, Text.NATURAL)
            .thenComparing(GroupSummary::engine, Text.NATURAL)
            .thenComparingDouble(GroupSummary::drop);

    /** The groups of {@code records}, sorted by layer, engine and drop. */
    static List<GroupSummary> of(List<ResultRecord> records) {
        Map<Key, List<ResultRecord>> groups = new TreeMap<>(Key.ORDER);
        for (ResultRecord r : records) {
            groups.computeIfAbsent(new Key(r.layer(), r.engine(), r.drop()), k -> new ArrayList<>()).add(r);
        }
        List<GroupSummary> summaries = new ArrayList<>();
        groups.forEach((key, group) -> summaries.add(new GroupSummary(key.layer(), key.engine(), key.drop(),
                List.copyOf(group), group.size(), group.stream().allMatch(ResultRecord::reached),
                Stat.of(group, ResultRecord::pruned), Stat.of(group, ResultRecord::validAccuracy),
                Stat.of(group, ResultRecord::repairedClean), Stat.of(group, ResultRecord::repairedAttack),
                Stat.of(group, ResultRecord::goodnetClean), Stat.of(group, ResultRecord::goodnetAttack),
                Stat.of(group, ResultRecord::goodnetPoisonedFlagged),
                Stat.of(group, ResultRecord::goodnetCleanFlagged))));
        summaries.sort(ORDER);
        return summaries;
    }

    /** The label of this group's series in the plots and report, {@code conv_3 / PyTorch}. */
    String series() {
        return layer + " / " + engine;
    }

    private record Key(String layer, String engine, double drop) {
        static final Comparator<Key> ORDER = Comparator.comparing(Key::layer, Text.NATURAL)
                .thenComparing(Key::engine, Text.NATURAL)
                .thenComparingDouble(Key::drop);
    }
}
