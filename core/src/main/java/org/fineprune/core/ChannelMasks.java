package org.fineprune.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Engine arrays that keep (1) or prune (0) each output channel of convolutions; see {@link GraphBlock}. */
final class ChannelMasks {
    private ChannelMasks() {}

    /**
     * One (1, C, 1, 1) mask per layer of {@code pruned} that prunes at least one channel.
     *
     * @throws IllegalArgumentException if a layer is not a convolution or a channel is out of range
     */
    static Map<String, NDArray> create(NDManager manager, Architecture architecture, Map<String, int[]> pruned) {
        Map<String, NDArray> masks = new LinkedHashMap<>();
        pruned.forEach((layer, channels) -> {
            float[] keep = keep(architecture, layer, channels);
            if (channels.length > 0) {
                masks.put(layer, manager.create(keep, new Shape(1, keep.length, 1, 1)));
            }
        });
        return masks;
    }

    /**
     * 1 for each kept and 0 for each pruned channel of convolution {@code layer}.
     *
     * @throws IllegalArgumentException if {@code layer} is not a convolution or a channel is out of range
     */
    static float[] keep(Architecture architecture, String layer, int[] pruned) {
        int channels = architecture.conv(layer).outputs();
        float[] keep = new float[channels];
        Arrays.fill(keep, 1f);
        for (int c : pruned) {
            if (c < 0 || c >= channels) {
                throw new IllegalArgumentException("channel " + c + " of '" + layer + "' is outside [0, " + channels
                        + ")");
            }
            keep[c] = 0f;
        }
        return keep;
    }
}
