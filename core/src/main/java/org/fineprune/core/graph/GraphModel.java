package org.fineprune.core.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * A copy in which the given output channels of convolutions are pruned in the weights: their
     * kernel slices and biases are zero and, where a batch normalisation is part of the unit, its
     * scale and shift for the channel too, so that the unit outputs zero for them (see {@link
     * ConvUnits}; its activation must map zero to zero).
     *
     * @param channels pruned channels by convolution name
     * @throws IllegalArgumentException if a layer is not a convolution, a channel is out of range,
     *     or the unit's activation does not map zero to zero
     */
    public GraphModel pruned(Map<String, int[]> channels) {
        ConvUnits units = new ConvUnits(graph);
        Map<String, float[]> copy = new LinkedHashMap<>(weights);
        channels.forEach((conv, pruned) -> {
            String end = units.unitEnd(conv);
            Layer last = graph.layer(end);
            Layer.Function activation = last instanceof Layer.Conv c ? c.activation()
                    : last instanceof Layer.Activation a ? a.function() : Layer.Function.LINEAR;
            if (activation == Layer.Function.SIGMOID || activation == Layer.Function.SOFTMAX) {
                throw new IllegalArgumentException("the unit of '" + conv + "' ends in " + activation
                        + ", which does not map zero to zero; its channels cannot be pruned in the weights");
            }
            int out = graph.parameters().get(conv + "/weight")[0];
            List<String> zeroed = new ArrayList<>(List.of(conv + "/weight", conv + "/bias"));
            String bn = graph.consumers(conv).size() == 1 ? graph.consumers(conv).get(0) : null;
            if (bn != null && graph.layer(bn) instanceof Layer.BatchNorm) {
                zeroed.add(bn + "/gamma");
                zeroed.add(bn + "/beta");
            }
            for (String name : zeroed) {
                float[] values = copy.get(name);
                if (values == null) {
                    continue;
                }
                values = values.clone();
                int slice = values.length / out;
                for (int c : pruned) {
                    if (c < 0 || c >= out) {
                        throw new IllegalArgumentException("channel " + c + " of '" + conv + "' is outside [0, " + out + ")");
                    }
                    Arrays.fill(values, c * slice, (c + 1) * slice, 0f);
                }
                copy.put(name, values);
            }
        });
        return new GraphModel(graph, copy);
    }
}
