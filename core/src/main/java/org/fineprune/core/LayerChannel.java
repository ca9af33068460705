package org.fineprune.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One output channel of a convolution layer: a step of a pruning order.
 *
 * @param layer the convolution's name
 * @param channel the channel index
 */
public record LayerChannel(String layer, int channel) {
    /** {@code steps} grouped by layer, layers in order of their first step, each layer's channels in their order. */
    public static Map<String, int[]> byLayer(List<LayerChannel> steps) {
        Map<String, List<Integer>> grouped = new LinkedHashMap<>();
        for (LayerChannel step : steps) {
            grouped.computeIfAbsent(step.layer(), l -> new ArrayList<>()).add(step.channel());
        }
        Map<String, int[]> out = new LinkedHashMap<>();
        grouped.forEach((layer, channels) -> out.put(layer, channels.stream().mapToInt(Integer::intValue).toArray()));
        return out;
    }

    @Override
    public String toString() {
        return layer + ":" + channel;
    }
}
