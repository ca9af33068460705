package org.fineprune.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.fineprune.attacks.BadNetAttack;
import org.fineprune.experiments.FashionMnistSubject;
import org.fineprune.experiments.LabSubject;
import org.fineprune.experiments.PointRecord;
import org.fineprune.experiments.Subject;

/**
 * The notes above the report's table, derived from the records: the subject, the settings each
 * defense kept fixed, the swept axes, and what data every choice used.
 */
final class Notes {
    private Notes() {}

    /** One Markdown list item per note, each a line without its {@code - }. */
    static List<String> of(List<PointRecord> records, Table table) {
        List<String> notes = new ArrayList<>();
        records.stream().map(r -> r.config().subject()).distinct().forEach(s -> notes.add(subject(s)));
        Map<String, List<PointRecord>> byDefense = new TreeMap<>(Text.NATURAL);
        records.forEach(r -> byDefense.computeIfAbsent(r.config().defense().name(), d -> new ArrayList<>()).add(r));
        byDefense.forEach((defense, group) -> {
            String shared = shared(group);
            notes.add("Settings of `" + defense + "` shared by all its points: " + (shared.isEmpty() ? "none" : shared)
                    + ".");
        });
        notes.add(swept(records, table.axes()));
        notes.add("Every choice a defense makes (which channels to prune, which pruned model to keep, how to "
                + "fine-tune) uses the defender's clean validation data only. The attack success rate along the "
                + "pruning steps is measured on the poisoned test set for the pruning figures only: no stopping "
                + "rule looks at it.");
        return notes;
    }

    private static String subject(Subject subject) {
        if (subject instanceof LabSubject l) {
            return "Subject: the BadNet `" + l.weights() + "` (inputs divided by " + Text.value(l.scale())
                    + "); the defender's clean validation data `" + l.valid() + "`; clean test images `" + l.test()
                    + "`; poisoned test images `" + l.poisoned() + "`.";
        }
        FashionMnistSubject f = (FashionMnistSubject) subject;
        return "Subject: Fashion-MNIST (`" + f.data() + "`). Each seed trains its own BadNet: network `" + f.network()
                + "`, attack `" + f.attack() + "`" + (f.pruningAware() ? " by the pruning-aware attack" : "") + ", "
                + Text.value(java.math.BigDecimal.valueOf(f.rate()).movePointRight(2)) + "% of the training images poisoned, "
                + BadNetAttack.byName(f.attack()).description() + ". The defender's clean validation data is "
                + "the held-out tenth of the training images, 6,000 images; scores are on the 10,000 test images and "
                + "the triggered copies of those not of the target class.";
    }

    /** The settings with one value in every record, the records' swept axes left out, as {@code name=value}s. */
    private static String shared(List<PointRecord> records) {
        Map<String, Object> first = new TreeMap<>(records.get(0).config().defense().settings());
        records.forEach(r -> first.keySet().removeAll(PointKeys.swept(r.point()).keySet()));
        return first.entrySet().stream()
                .filter(e -> records.stream().allMatch(r -> Objects.equals(
                        r.config().defense().settings().get(e.getKey()), e.getValue())))
                .map(e -> "`" + e.getKey() + "=" + setting(e.getValue()) + "`")
                .collect(Collectors.joining(", "));
    }

    /** A setting's value as keys write it, an empty text as {@code ""} and an empty list as {@code []}. */
    private static String setting(Object value) {
        if (value instanceof List<?> list && list.isEmpty()) {
            return "[]";
        }
        String text = Text.value(value);
        return text.isEmpty() ? "\"\"" : text;
    }

    private static String swept(List<PointRecord> records, List<String> axes) {
        Map<String, Set<String>> values = new LinkedHashMap<>();
        values.put("defense", new TreeSet<>(Text.NATURAL));
        axes.forEach(axis -> values.put(axis, new TreeSet<>(Text.NATURAL)));
        values.put("engine", new TreeSet<>(Text.NATURAL));
        values.put("seed", new TreeSet<>(Text.NATURAL));
        for (PointRecord r : records) {
            PointKeys.pairs(r.point()).forEach((axis, value) -> values.get(axis).add(value));
        }
        return "Swept: " + values.entrySet().stream()
                .map(e -> "`" + e.getKey() + "` over " + String.join(", ", e.getValue()))
                .collect(Collectors.joining("; ")) + ".";
    }
}
