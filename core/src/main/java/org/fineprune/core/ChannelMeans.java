package org.fineprune.core;

/**
 * A hook that averages each channel of a layer over all images and positions it sees: the mean
 * activation by which Fine-Pruning ranks channels.
 */
public final class ChannelMeans implements ActivationHook {
    private final String layer;
    private double[] sums;
    private long count;

    /** Averages the channels of {@code layer}. */
    public ChannelMeans(String layer) {
        this.layer = layer;
    }

    @Override
    public String layer() {
        return layer;
    }

    @Override
    public void accept(Activation activation) {
        double[] batch = activation.channelSums();
        if (sums == null) {
            sums = new double[batch.length];
        }
        for (int c = 0; c < batch.length; c++) {
            sums[c] += batch[c];
        }
        count += activation.images() * activation.positions();
    }

    /**
     * The mean of each channel so far.
     *
     * @throws IllegalStateException if no batch has been seen
     */
    public double[] means() {
        if (sums == null) {
            throw new IllegalStateException("no activations of " + layer + " seen yet");
        }
        double[] means = new double[sums.length];
        for (int c = 0; c < means.length; c++) {
            means[c] = sums[c] / count;
        }
        return means;
    }
}
