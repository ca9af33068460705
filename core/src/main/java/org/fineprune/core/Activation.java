package org.fineprune.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * One batch of a layer's output as seen by an {@link ActivationHook}; valid only during the call.
 *
 * <p>Reductions run on the engine and return Java arrays. Convolution and pooling outputs have the
 * shape (N, C, H, W), dense layers (N, units).
 */
public final class Activation {
    private final String layer;
    private final NDArray output;

    Activation(String layer, NDArray output) {
        this.layer = layer;
        this.output = output;
    }

    /** The Keras name of the layer. */
    public String layer() {
        return layer;
    }

    /** The shape of the output, images first. */
    public long[] shape() {
        return output.getShape().getShape();
    }

    /** The number of images in the batch. */
    public int images() {
        return (int) output.getShape().get(0);
    }

    /** The number of channels (or units of a dense layer). */
    public int channels() {
        return (int) output.getShape().get(1);
    }

    /** The whole output, flattened in NCHW order: costly for early layers, prefer a reduction. */
    public float[] values() {
        return output.toFloatArray();
    }

    /** The sum of each channel over images and positions, accumulated in double precision. */
    public double[] channelSums() {
        NDArray wide = output.toType(DataType.FLOAT64, false);
        int[] axes = output.getShape().dimension() == 4 ? new int[] {0, 2, 3} : new int[] {0};
        return wide.sum(axes).toDoubleArray();
    }

    /** A copy of the output owned by {@code manager}, which outlives the callback. */
    NDArray keep(NDManager manager) {
        NDArray copy = output.duplicate();
        copy.attach(manager);
        return copy;
    }

    /** Positions per channel in one image: H x W, or 1 for a dense layer. */
    public long positions() {
        long[] s = shape();
        return s.length == 4 ? s[2] * s[3] : 1;
    }
}
