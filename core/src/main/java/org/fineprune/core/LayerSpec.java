package org.fineprune.core;

import java.util.Arrays;

/**
 * A weighted layer of a Keras model and the shapes of its weights in Keras layout.
 *
 * @param name the Keras layer name
 * @param kernelShape Keras kernel shape: (kh, kw, in, out) for a convolution, (in, out) for a dense
 *     layer
 * @param flattenedFrom for a dense layer fed by Keras' Flatten, the (H, W, C) shape it flattens;
 *     otherwise {@code null}
 */
public record LayerSpec(String name, int[] kernelShape, int[] flattenedFrom) {
    static LayerSpec conv(String name, int kernel, int in, int out) {
        return new LayerSpec(name, new int[] {kernel, kernel, in, out}, null);
    }

    static LayerSpec dense(String name, int in, int out, int[] flattenedFrom) {
        return new LayerSpec(name, new int[] {in, out}, flattenedFrom);
    }

    /** Whether this is a 2-D convolution. */
    public boolean isConv() {
        return kernelShape.length == 4;
    }

    /** The number of output channels or units. */
    public int outputs() {
        return kernelShape[kernelShape.length - 1];
    }

    /** The shape of the bias: one value per output. */
    public int[] biasShape() {
        return new int[] {outputs()};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerSpec l && name.equals(l.name)
                && Arrays.equals(kernelShape, l.kernelShape)
                && Arrays.equals(flattenedFrom, l.flattenedFrom);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(kernelShape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(kernelShape);
    }
}
