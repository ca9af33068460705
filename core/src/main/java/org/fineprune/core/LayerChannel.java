package org.fineprune.core;

/**
 * One output channel of a convolution layer: a step of a pruning order.
 *
 * @param layer the convolution's name
 * @param channel the channel index
 */
public record LayerChannel(String layer, int channel) {
    @Override
    public String toString() {
        return layer + ":" + channel;
    }
}
