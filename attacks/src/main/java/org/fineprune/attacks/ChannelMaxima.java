package org.fineprune.attacks;

import java.util.Arrays;
import org.fineprune.core.Activation;
import org.fineprune.core.ActivationHook;

/**
 * A hook that keeps the largest value of each channel of a layer over all images and positions it
 * sees: how far a channel's bias must fall for it to stay silent on those images.
 */
final class ChannelMaxima implements ActivationHook {
    private final String layer;
    private float[] maxima;

    ChannelMaxima(String layer) {
        this.layer = layer;
    }

    @Override
    public String layer() {
        return layer;
    }

    @Override
    public void accept(Activation activation) {
        int channels = activation.channels();
        if (maxima == null) {
            maxima = new float[channels];
            Arrays.fill(maxima, Float.NEGATIVE_INFINITY);
        }
        float[] values = activation.values();
        int positions = values.length / activation.images() / channels;
        for (int i = 0; i < values.length; i++) {
            int c = i / positions % channels;
            maxima[c] = Math.max(maxima[c], values[i]);
        }
    }

    /**
     * The largest value of each channel so far.
     *
     * @throws IllegalStateException if no batch has been seen
     */
    float[] maxima() {
        if (maxima == null) {
            throw new IllegalStateException("no activations of " + layer + " seen yet");
        }
        return maxima.clone();
    }
}
