package org.fineprune.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import java.util.Map;

/** Pieces shared by Fineprune's DJL blocks (DeepID, the small Fashion-MNIST CNN). */
final class BlockSupport {
    private BlockSupport() {}

    /** Initialises {@code block} for {@code input} and returns its output shape. */
    static Shape initialize(Block block, NDManager manager, DataType dataType, Shape input) {
        block.initialize(manager, dataType, input);
        return block.getOutputShapes(new Shape[] {input})[0];
    }

    /** A valid-padded square convolution for the Keras layer {@code spec}. */
    static Block conv(LayerSpec spec) {
        int k = spec.kernelShape()[0];
        return Conv2d.builder().setKernelShape(new Shape(k, k)).setFilters(spec.outputs()).build();
    }

    /** The shape after a 2x2 max pool with stride 2 and no padding. */
    static Shape pooled(Shape nchw) {
        return new Shape(nchw.get(0), nchw.get(1), nchw.get(2) / 2, nchw.get(3) / 2);
    }

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

    /**
     * ReLU and a 2x2 pool of a convolution's output {@code linear}, with the convolution's channel
     * mask; the ReLU (only computed when observed) and the pool go to {@code observer}.
     *
     * <p>In inference the ReLU runs after the pool, on a quarter of the values (max pooling commutes
     * with ReLU), and the pool is {@link #maxPool2x2}. In training both are the engine's operators in
     * Keras' order: the strided views would split the gradient between tied maxima.
     */
    static NDArray convReluPool(String conv, String pool, NDArray linear, Map<String, NDArray> masks,
            boolean training, LayerObserver observer) {
        NDArray pooled;
        if (training) {
            NDArray relu = NetworkBlock.masked(Activation.relu(linear), conv, masks);
            observe(conv, relu, observer);
            pooled = Pool.maxPool2d(relu, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
        } else {
            if (observer.wants(conv)) {
                observer.onOutput(conv, NetworkBlock.masked(Activation.relu(linear), conv, masks));
            }
            pooled = NetworkBlock.masked(Activation.relu(maxPool2x2(linear)), conv, masks);
        }
        return observe(pool, pooled, observer);
    }

    /** Hands {@code x} to {@code observer} if it wants layer {@code name}, and returns it. */
    static NDArray observe(String name, NDArray x, LayerObserver observer) {
        if (observer.wants(name)) {
            observer.onOutput(name, x);
        }
        return x;
    }
}
