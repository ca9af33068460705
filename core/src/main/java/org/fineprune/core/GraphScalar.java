package org.fineprune.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A number as an array of a given manager, for arithmetic that autograd records. DJL's PyTorch
 * engine computes {@code array.mul(2f)} by wrapping 2 in a tensor over a direct buffer and closing
 * that array at once, while autograd keeps the tensor for the backward pass (a product's gradient is
 * the other factor; so are a quotient's and a power's): when the garbage collector frees the buffer
 * between the forward and the backward pass, the backward pass reads freed memory. Neural Cleanse's
 * mask norms changed from run to run that way, once to NaN. A number made here lives as long as its
 * manager, so it outlives every backward pass done before that manager closes.
 */
public final class GraphScalar {
    private GraphScalar() {}

    /** {@code value} as a 0-dimensional float32 array of {@code manager}, as {@code array.mul(value)} makes it. */
    public static NDArray of(NDManager manager, float value) {
        return manager.create(value);
    }

    /** {@code value} as a 0-dimensional float64 array of {@code manager}, as {@code array.mul(value)} makes it. */
    public static NDArray of(NDManager manager, double value) {
        return manager.create(value);
    }
}
