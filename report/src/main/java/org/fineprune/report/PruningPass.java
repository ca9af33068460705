package org.fineprune.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.fineprune.experiments.PointRecord;

/**
 * One pruning pass: the records of a pruning defense that differ only in their accuracy-drop
 * threshold {@value #DROP}, with the validation accuracy and the attack success rate after each step
 * (step 0 the BadNet) and the step at which each threshold kept its model.
 *
 * @param key the records' point key without {@value #DROP}
 * @param validAccuracy validation accuracy in percent after 0, 1, 2, ... steps
 * @param attackSuccessRate attack success rate in percent after 0, 1, 2, ... steps, on the poisoned
 *     test set (for the figure only); NaN after a step the record did not score, empty where the
 *     BadNet's is unknown
 * @param marks the kept models, in increasing step
 */
record PruningPass(String key, double[] validAccuracy, double[] attackSuccessRate, List<Mark> marks) {
    /** The parameter whose values share one pass. */
    static final String DROP = "drop";

    /**
     * A model kept at a step, labelled with the thresholds that kept it ({@code d=2} or {@code d=2, 4};
     * {@code kept} for a defense without {@value #DROP}).
     *
     * @param step channels pruned
     * @param label the label
     */
    record Mark(int step, String label) {}

    /**
     * The passes of the records that have pruning steps and a curve to draw, in file order; the
     * others have none.
     */
    static List<PruningPass> of(List<PointRecord> records) {
        Map<String, List<PointRecord>> passes = new LinkedHashMap<>();
        for (PointRecord r : records) {
            if (r.pruningSteps() != null) {
                passes.computeIfAbsent(PointKeys.without(r.point(), DROP), k -> new ArrayList<>()).add(r);
            }
        }
        List<PruningPass> result = new ArrayList<>();
        passes.forEach((key, pass) -> {
            double[] valid = validAccuracy(pass);
            double[] attack = attackSuccessRate(pass);
            if (valid.length > 0 || attack.length > 0) {
                result.add(new PruningPass(key, valid, attack, marks(pass)));
            }
        });
        return result;
    }

    /** The number of steps the figure spans. */
    int steps() {
        return Math.max(Math.max(validAccuracy.length, attackSuccessRate.length) - 1, 1);
    }

    private static double[] validAccuracy(List<PointRecord> pass) {
        List<Double> longest = pass.stream().map(r -> numbers(r.diagnostics().get("validAccuracies")))
                .max(Comparator.comparingInt(List::size)).orElse(List.of());
        Object baseline = pass.get(0).diagnostics().get("baselineValidAccuracy");
        if (longest.isEmpty() || !(baseline instanceof Number start)) {
            return new double[0];
        }
        return withStart(start.doubleValue(), longest);
    }

    private static double[] attackSuccessRate(List<PointRecord> pass) {
        List<Double> longest = pass.stream().map(r -> r.pruningSteps().attackSuccessRates())
                .max(Comparator.comparingInt(List::size)).orElse(List.of());
        double start = Metric.BADNET_ATTACK.of(pass.get(0));
        if (Double.isNaN(start) || longest.stream().allMatch(Objects::isNull)) {
            return new double[0];
        }
        return withStart(start, longest.stream().map(r -> r == null ? Double.NaN : r).toList());
    }

    private static List<Mark> marks(List<PointRecord> pass) {
        Map<Integer, List<String>> byStep = new TreeMap<>();
        for (PointRecord r : pass) {
            Object pruned = r.diagnostics().get("prunedChannels");
            if (pruned instanceof Map<?, ?> layers) {
                int step = layers.values().stream().mapToInt(v -> v instanceof List<?> l ? l.size() : 0).sum();
                Object drop = r.config().defense().settings().get(DROP);
                byStep.computeIfAbsent(step, s -> new ArrayList<>()).add(drop == null ? "" : Text.value(drop));
            }
        }
        List<Mark> marks = new ArrayList<>();
        byStep.forEach((step, drops) -> marks.add(new Mark(step, drops.contains("") ? "kept"
                : "d=" + drops.stream().distinct().sorted(Text.NATURAL).collect(Collectors.joining(", ")))));
        return marks;
    }

    private static List<Double> numbers(Object list) {
        if (!(list instanceof List<?> values) || !values.stream().allMatch(v -> v instanceof Number)) {
            return List.of();
        }
        return values.stream().map(v -> ((Number) v).doubleValue()).toList();
    }

    private static double[] withStart(double start, List<Double> steps) {
        double[] values = new double[steps.size() + 1];
        values[0] = start;
        for (int i = 0; i < steps.size(); i++) {
            values[i + 1] = steps.get(i);
        }
        return values;
    }
}
