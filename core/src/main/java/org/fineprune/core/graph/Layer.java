package org.fineprune.core.graph;

import java.util.List;

/**
 * One named layer of a {@link LayerGraph}: its kind, its attributes and the layers it reads.
 *
 * <p>Tensors are in NCHW order (the batch dimension is left out of every shape): convolution and
 * pooling read and write (C, H, W) maps, dense layers (F) vectors. Layer names are the names of the
 * file the graph came from (Keras layer names, the PyTorch module paths of an ONNX export).
 */
public sealed interface Layer {
    /** The layer's unique name. */
    String name();

    /** The names of the layers whose outputs this layer reads, in order. */
    List<String> inputs();

    /** An element-wise activation, or softmax over the channel axis. */
    enum Function {
        LINEAR, RELU, SIGMOID, TANH, SOFTMAX
    }

    /** How a pool reduces its window. */
    enum PoolKind {
        MAX, AVERAGE
    }

    /**
     * The order in which a flatten lists the values of a (C, H, W) map: PyTorch's C, H, W or Keras'
     * H, W, C (channels last).
     */
    enum FlattenOrder {
        CHW, HWC
    }

    /**
     * Zero padding of the two spatial axes: explicit amounts, or {@code same} (Keras' {@code
     * padding="same"}, ONNX's {@code SAME_UPPER}), which pads so that the output has ceil(size /
     * stride) positions, the odd one at the bottom and right.
     *
     * @param same whether the amounts follow from the input size, kernel and stride
     */
    record Padding(boolean same, int top, int left, int bottom, int right) {
        /** No padding (Keras' {@code valid}). */
        public static final Padding VALID = new Padding(false, 0, 0, 0, 0);
        /** Keras' {@code same}. */
        public static final Padding SAME = new Padding(true, 0, 0, 0, 0);

        /** Validates the amounts. */
        public Padding {
            if (top < 0 || left < 0 || bottom < 0 || right < 0) {
                throw new IllegalArgumentException("negative padding " + List.of(top, left, bottom, right));
            }
        }

        /** Explicit amounts. */
        public static Padding of(int top, int left, int bottom, int right) {
            return new Padding(false, top, left, bottom, right);
        }

        /** The explicit amounts for an input of {@code height x width}. */
        public Padding resolve(int height, int width, int kernelHeight, int kernelWidth, int strideHeight,
                int strideWidth) {
            if (!same) {
                return this;
            }
            int h = total(height, kernelHeight, strideHeight);
            int w = total(width, kernelWidth, strideWidth);
            return of(h / 2, w / 2, h - h / 2, w - w / 2);
        }

        private static int total(int size, int kernel, int stride) {
            int out = (size + stride - 1) / stride;
            return Math.max((out - 1) * stride + kernel - size, 0);
        }

        /** Whether top equals bottom and left equals right, as the engines' operators pad. */
        public boolean symmetric() {
            return top == bottom && left == right;
        }

        /** Whether there is no padding at all. */
        public boolean none() {
            return !same && top == 0 && left == 0 && bottom == 0 && right == 0;
        }
    }

    /** The network's input image. */
    record Input(String name) implements Layer {
        @Override
        public List<String> inputs() {
            return List.of();
        }
    }

    /**
     * A 2-D convolution, with its activation fused where the file fuses it (Keras' {@code
     * activation=}). Weights: {@code weight} (filters, in, kh, kw) and, with a bias, {@code bias}.
     */
    record Conv(String name, String input, int filters, int kernelHeight, int kernelWidth, int strideHeight,
            int strideWidth, Padding padding, boolean bias, Function activation) implements Layer {
        /** Validates the sizes. */
        public Conv {
            positive(name, filters, kernelHeight, kernelWidth, strideHeight, strideWidth);
        }

        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** A max or average pool; an average pool counts only the values inside the input. */
    record Pool(String name, String input, PoolKind kind, int kernelHeight, int kernelWidth, int strideHeight,
            int strideWidth, Padding padding) implements Layer {
        /** Validates the sizes. */
        public Pool {
            positive(name, kernelHeight, kernelWidth, strideHeight, strideWidth);
        }

        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /**
     * A max or average over all positions of each channel: (C) as Keras gives it, or (C, 1, 1) with
     * {@code keepDims} as ONNX gives it.
     */
    record GlobalPool(String name, String input, PoolKind kind, boolean keepDims) implements Layer {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** A dense (fully connected) layer. Weights: {@code weight} (units, in) and, with a bias, {@code bias}. */
    record Dense(String name, String input, int units, boolean bias, Function activation) implements Layer {
        /** Validates the size. */
        public Dense {
            positive(name, units);
        }

        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** Flattens each image's map to a vector, in the order its file defines. */
    record Flatten(String name, String input, FlattenOrder order) implements Layer {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** The element-wise sum of two or more outputs of the same shape (a residual connection). */
    record Add(String name, List<String> inputs) implements Layer {
        /** Validates the inputs. */
        public Add {
            inputs = List.copyOf(inputs);
            if (inputs.size() < 2) {
                throw new IllegalArgumentException("layer '" + name + "' (Add) needs two inputs or more");
            }
        }
    }

    /** The concatenation of outputs along the channel (or feature) axis. */
    record Concat(String name, List<String> inputs) implements Layer {
        /** Validates the inputs. */
        public Concat {
            inputs = List.copyOf(inputs);
            if (inputs.isEmpty()) {
                throw new IllegalArgumentException("layer '" + name + "' (Concatenate) needs an input");
            }
        }
    }

    /** An activation layer of its own. */
    record Activation(String name, String input, Function function) implements Layer {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** Dropout of {@code rate} while training; the identity at inference. */
    record Dropout(String name, String input, float rate) implements Layer {
        /** Validates the rate. */
        public Dropout {
            if (!(rate >= 0 && rate < 1)) {
                throw new IllegalArgumentException("layer '" + name + "' (Dropout) has rate " + rate
                        + ", outside [0, 1)");
            }
        }

        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /**
     * Batch normalisation over the channel axis: running statistics at inference, batch statistics
     * (and updated running statistics) in training. Weights: {@code gamma}, {@code beta}, {@code
     * runningMean}, {@code runningVar}, one value per channel.
     *
     * @param momentum the weight of the old running statistics in an update (Keras' momentum; 1
     *     minus PyTorch's)
     */
    record BatchNorm(String name, String input, float epsilon, float momentum) implements Layer {
        /** Validates epsilon and momentum. */
        public BatchNorm {
            if (!(epsilon > 0) || !(momentum >= 0 && momentum <= 1)) {
                throw new IllegalArgumentException("layer '" + name + "' (BatchNormalization) has epsilon "
                        + epsilon + " and momentum " + momentum);
            }
        }

        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** Zero padding of a map's spatial axes. */
    record ZeroPad(String name, String input, Padding padding) implements Layer {
        /** Validates that the amounts are explicit. */
        public ZeroPad {
            if (padding.same()) {
                throw new IllegalArgumentException("layer '" + name + "' (ZeroPadding2D) needs explicit amounts");
            }
        }

        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    private static void positive(String name, int... sizes) {
        for (int size : sizes) {
            if (size < 1) {
                throw new IllegalArgumentException("layer '" + name + "' has a size " + size + "; sizes must be positive");
            }
        }
    }
}
