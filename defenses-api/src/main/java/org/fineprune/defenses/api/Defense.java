package org.fineprune.defenses.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fineprune.core.Architecture;
import org.fineprune.core.BadNet;

/**
 * A backdoor defense: a name, its declared parameters, and one method that repairs or guards a
 * BadNet. An implementation is found by {@link Defenses} when its jar lists it in {@code
 * META-INF/services/org.fineprune.defenses.api.Defense}; it needs a public no-argument constructor
 * and should keep no state between calls.
 */
public interface Defense {
    /** The name users give it ({@code fine-pruning}): lower case words joined by dashes, unique. */
    String name();

    /** One line saying what it does, for listings. */
    String description();

    /** The parameters it takes, in the order listings show them. */
    List<Parameter> parameters();

    /**
     * Applies the defense to {@code net}, which is left unchanged.
     *
     * @param settings values for this defense's parameters ({@link #settings})
     * @param seed the seed of every random choice the defense makes
     * @throws IllegalArgumentException if the settings do not fit the network (a layer it lacks) or
     *     are for another defense
     * @throws IOException if images cannot be read
     */
    DefenseResult apply(BadNet net, DefenderData data, Settings settings, long seed) throws IOException;

    /**
     * Whether the defense inspects a training set ({@link DefenderData#training}) and flags its
     * poisoned samples ({@link DefenseResult#sampleFlags}): a sweep refuses it before any work on a
     * subject that has no training set. False by default.
     */
    default boolean inspectsTrainingSet() {
        return false;
    }

    /**
     * The parameters whose values one run of the defense can serve together, such as pruning's
     * {@code drop}: every threshold is read off one pruning pass. A sweep hands the settings that
     * differ only in these to {@link #applyAll} at once. None by default.
     */
    default List<String> sharedParameters() {
        return List.of();
    }

    /**
     * Applies the defense with each of {@code settings}, which differ at most in {@link
     * #sharedParameters}, and returns one result per settings, in order. The default applies them
     * one by one; a defense with shared parameters does the shared work once.
     *
     * @throws IllegalArgumentException as {@link #apply}, or if the settings differ elsewhere
     * @throws IOException if images cannot be read
     */
    default List<DefenseResult> applyAll(BadNet net, DefenderData data, List<Settings> settings, long seed)
            throws IOException {
        List<DefenseResult> results = new ArrayList<>();
        try {
            for (Settings s : settings) {
                results.add(apply(net, data, s, seed));
            }
        } catch (IOException | RuntimeException e) {
            results.forEach(DefenseResult::close);
            throw e;
        }
        return results;
    }

    /**
     * Refuses settings that do not fit {@code architecture} (a layer it lacks), so that a sweep can
     * stop before any work. Accepts everything by default.
     *
     * @throws IllegalArgumentException naming the defense, the parameter and what the network has
     */
    default void check(Architecture architecture, Settings settings) {}

    /**
     * This defense's settings with {@code given} values and defaults for the rest.
     *
     * @throws IllegalArgumentException for an undeclared parameter or a value it does not allow
     */
    default Settings settings(Map<String, ?> given) {
        return Settings.of(this, given);
    }

    /** This defense's settings with every parameter at its default. */
    default Settings defaults() {
        return settings(Map.of());
    }
}
