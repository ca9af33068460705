package org.fineprune.defenses.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.fineprune.core.FinepruneException;

/**
 * The defenses on the class path, found with {@link ServiceLoader} as DJL finds its engines: a jar
 * that lists a {@link Defense} in {@code META-INF/services/org.fineprune.defenses.api.Defense} is
 * enough.
 */
public final class Defenses {
    private Defenses() {}

    /**
     * Every defense found with the context class loader, sorted by name.
     *
     * @throws FinepruneException if a jar lists a defense that cannot be loaded, or two defenses
     *     share a name
     */
    public static List<Defense> all() {
        List<Defense> found = new ArrayList<>();
        try {
            ServiceLoader.load(Defense.class).forEach(found::add);
        } catch (ServiceConfigurationError e) {
            throw new FinepruneException("a defense module on the class path is broken: " + e.getMessage(), e);
        }
        found.sort(Comparator.comparing(Defense::name));
        for (int i = 1; i < found.size(); i++) {
            if (found.get(i).name().equals(found.get(i - 1).name())) {
                throw new FinepruneException("two defenses are called '" + found.get(i).name() + "': "
                        + found.get(i - 1).getClass().getName() + " and " + found.get(i).getClass().getName());
            }
        }
        return found;
    }

    /**
     * The defense called {@code name}.
     *
     * @throws IllegalArgumentException if none is, naming the defenses there are
     */
    public static Defense find(String name) {
        List<Defense> all = all();
        return all.stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown defense '" + name + "'; known: "
                        + all.stream().map(Defense::name).collect(Collectors.joining(", "))));
    }
}
