package org.fineprune.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/** Operators of {@link GraphBlock} kept apart for their own comments. */
final class BlockSupport {
    private BlockSupport() {}

    /**
     * A 2x2 max pool with stride 2 and no padding (Keras' MaxPooling2D), as the maximum of four
     * strided views. It gives the same values as the engines' pooling operator; PyTorch's operator
     * also computes the arg max indices, which made it the slowest layer of DeepID.
     */
    static NDArray maxPool2x2(NDArray x) {
        long h = x.getShape().get(2) / 2 * 2;
        long w = x.getShape().get(3) / 2 * 2;
        NDArray top = x.get(new NDIndex(":, :, 0:{}:2, 0:{}:2", h, w))
                .maximum(x.get(new NDIndex(":, :, 0:{}:2, 1:{}:2", h, w)));
        NDArray bottom = x.get(new NDIndex(":, :, 1:{}:2, 0:{}:2", h, w))
                .maximum(x.get(new NDIndex(":, :, 1:{}:2, 1:{}:2", h, w)));
        return top.maximum(bottom);
    }

    /** Hands {@code x} to {@code observer} if it wants layer {@code name}, and returns it. */
    static NDArray observe(String name, NDArray x, LayerObserver observer) {
        if (observer.wants(name)) {
            observer.onOutput(name, x);
        }
        return x;
    }
}
