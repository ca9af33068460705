package org.fineprune.experiments;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.fineprune.attacks.BadNetRecipe;

/**
 * What a point of a defense and the training of a BadNet cost on this project's machine, measured
 * once and checked in ({@code costs.properties} beside this class): seconds per point of each
 * defense on the small CNN, a factor per network, seconds measured per point of a defense on another
 * network where there are some, and seconds to train each network's BadNet.
 *
 * @param defenseSeconds seconds per point on the small CNN, by defense; {@value #OTHER} for any other
 * @param networkFactors how many times a point on each network costs what it costs on the small CNN
 * @param trainingSeconds seconds to train each network's default BadNet
 * @param measuredPoints seconds measured per point, by {@code network.defense}, which the factor does
 *     not price well (scoring a multi-layer pruning curve costs far more on a wider network)
 */
public record CostTable(Map<String, Double> defenseSeconds, Map<String, Double> networkFactors,
        Map<String, Double> trainingSeconds, Map<String, Double> measuredPoints) {
    /** The defense entry for a defense the table does not name. */
    public static final String OTHER = "other";

    /** Copies the maps; the table must price any defense. */
    public CostTable {
        defenseSeconds = Map.copyOf(defenseSeconds);
        networkFactors = Map.copyOf(networkFactors);
        trainingSeconds = Map.copyOf(trainingSeconds);
        measuredPoints = Map.copyOf(measuredPoints);
        if (!defenseSeconds.containsKey(OTHER)) {
            throw new IllegalArgumentException("a cost table needs the seconds of '" + OTHER + "' defenses");
        }
    }

    /** A table without measured points of other networks. */
    public CostTable(Map<String, Double> defenseSeconds, Map<String, Double> networkFactors,
            Map<String, Double> trainingSeconds) {
        this(defenseSeconds, networkFactors, trainingSeconds, Map.of());
    }

    /** The table measured on this project's machine. */
    public static CostTable measured() {
        Properties properties = new Properties();
        try (InputStream in = CostTable.class.getResourceAsStream("costs.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checked-in cost table", e);
        }
        Map<String, Map<String, Double>> parts = new TreeMap<>();
        properties.stringPropertyNames().forEach(name -> parts.computeIfAbsent(name.substring(0, name.indexOf('.')),
                k -> new TreeMap<>()).put(name.substring(name.indexOf('.') + 1),
                        Double.valueOf(properties.getProperty(name))));
        return new CostTable(parts.get("defense"), parts.get("network"), parts.get("training"),
                parts.getOrDefault("point", Map.of()));
    }

    /** Seconds of one point of {@code defense} on {@code network}: measured, else priced by the network's factor. */
    public double pointSeconds(String defense, String network) {
        Double measured = measuredPoints.get(network + "." + defense);
        return measured != null ? measured
                : defenseSeconds.getOrDefault(defense, defenseSeconds.get(OTHER)) * networkFactors.getOrDefault(network, 1.0);
    }

    /** Seconds to train the BadNet of {@code recipe}: twice its network's for the pruning-aware attack. */
    public double trainingSeconds(BadNetRecipe recipe) {
        double seconds = trainingSeconds.getOrDefault(recipe.network(), trainingSeconds.values().stream()
                .mapToDouble(Double::doubleValue).max().orElse(0));
        return recipe.pruningAware() ? 2 * seconds : seconds;
    }
}
