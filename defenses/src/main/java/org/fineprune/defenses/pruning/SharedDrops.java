package org.fineprune.defenses.pruning;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Settings;

/**
 * What the pruning defenses share in {@link Defense#applyAll}: settings that differ only in their
 * accuracy drop are served by one pruning pass, one result per settings.
 */
public final class SharedDrops {
    /** The parameters one pruning pass serves together. */
    public static final List<String> PARAMETERS = List.of("drop");

    private SharedDrops() {}

    /** Makes the result of one settings from the shared pruning pass. */
    @FunctionalInterface
    public interface ResultMaker {
        /** The result for {@code settings}. */
        DefenseResult make(Settings settings) throws IOException;
    }

    /**
     * Checks that {@code settings} are {@code defense}'s and differ at most in {@link #PARAMETERS}.
     *
     * @throws IllegalArgumentException naming the defense and the parameters in which they differ
     */
    public static void require(Defense defense, List<Settings> settings) {
        settings.forEach(s -> s.requireFor(defense));
        for (Settings s : settings) {
            Map<String, Object> first = withoutShared(settings.get(0));
            Map<String, Object> other = withoutShared(s);
            List<String> differing = first.keySet().stream().filter(p -> !first.get(p).equals(other.get(p))).toList();
            if (!differing.isEmpty()) {
                throw new IllegalArgumentException("defense '" + defense.name() + "': settings applied together may"
                        + " differ only in " + PARAMETERS + ", not in " + differing);
            }
        }
    }

    /** One result per settings, in order, each made by {@code maker}; all are closed if one fails. */
    public static List<DefenseResult> each(List<Settings> settings, ResultMaker maker) throws IOException {
        List<DefenseResult> results = new ArrayList<>();
        try {
            for (Settings s : settings) {
                results.add(maker.make(s));
            }
        } catch (IOException | RuntimeException e) {
            results.forEach(DefenseResult::close);
            throw e;
        }
        return results;
    }

    private static Map<String, Object> withoutShared(Settings settings) {
        Map<String, Object> values = new TreeMap<>(settings.values());
        PARAMETERS.forEach(values::remove);
        return values;
    }
}
