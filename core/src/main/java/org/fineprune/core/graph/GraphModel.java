package org.fineprune.core.graph;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A network read from a file: its layer graph and every weight the graph needs, by {@code layer/param}
 * name, in the engine's layout (see {@link LayerGraph#parameters}).
 *
 * @param graph the layers
 * @param weights the values of each weight, flattened in row-major order
 */
public record GraphModel(LayerGraph graph, Map<String, float[]> weights) {
    /**
     * Checks that every weight is given with the size its shape needs, and no other.
     *
     * @throws IllegalArgumentException naming the weight otherwise
     */
    public GraphModel {
        Map<String, int[]> shapes = graph.parameters();
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            float[] values = weights.get(e.getKey());
            int size = Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b);
            if (values == null) {
                throw new IllegalArgumentException("weight '" + e.getKey() + "' " + Arrays.toString(e.getValue())
                        + " is missing");
            }
            if (values.length != size) {
                throw new IllegalArgumentException("weight '" + e.getKey() + "' has " + values.length
                        + " values, its shape " + Arrays.toString(e.getValue()) + " needs " + size);
            }
        }
        for (String name : weights.keySet()) {
            if (!shapes.containsKey(name)) {
                throw new IllegalArgumentException("weight '" + name + "' belongs to no layer of " + graph.name());
            }
        }
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    }
}
