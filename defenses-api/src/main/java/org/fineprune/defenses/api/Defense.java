package org.fineprune.defenses.api;

import java.io.IOException;
import java.util.List;
import java.util.Map;
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
