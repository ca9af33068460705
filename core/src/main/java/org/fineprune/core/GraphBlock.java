package org.fineprune.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.core.graph.ConvUnits;
import org.fineprune.core.graph.Layer;
import org.fineprune.core.graph.Layer.Activation;
import org.fineprune.core.graph.Layer.Add;
import org.fineprune.core.graph.Layer.Concat;
import org.fineprune.core.graph.Layer.Conv;
import org.fineprune.core.graph.Layer.Dense;
import org.fineprune.core.graph.Layer.Flatten;
import org.fineprune.core.graph.Layer.Function;
import org.fineprune.core.graph.Layer.GlobalPool;
import org.fineprune.core.graph.Layer.Padding;
import org.fineprune.core.graph.Layer.PoolKind;
import org.fineprune.core.graph.Layer.ZeroPad;
import org.fineprune.core.graph.LayerGraph;

/**
 * The DJL block that runs any {@link LayerGraph}, for inference and training, with a channel mask
 * on the output unit of every convolution (see {@link ConvUnits}) and every layer observable.
 *
 * <p>An observer sees each layer once per pass; a convolution's name gives its unit's output (after
 * its batch normalisation and activation, masked), never its raw output.
 *
 * <p>Convolutions, dense layers and batch normalisations are DJL child blocks named after their
 * layers; everything else is an operator. A flatten gives C, H, W order whatever its file says: a
 * dense layer reading an H, W, C flatten has its kernel rows permuted when it is loaded.
 *
 * <p>In inference a ReLU unit read only by a 2x2 max pool of stride 2 runs as ReLU after the pool,
 * on a quarter of the values (max pooling commutes with ReLU), and such pools are the maximum of four
 * strided views ({@link BlockSupport#maxPool2x2}): the same values, faster. Training uses the
 * engines' operators in the file's order, since strided views would split the gradient between tied
 * maxima.
 */
final class GraphBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final Architecture architecture;
    private final LayerGraph graph;
    private final ConvUnits units;
    /** The convolutions, dense layers and batch normalisations by name; DJL prefixes child names with their position. */
    private final Map<String, Block> layers = new LinkedHashMap<>();
    /** The masks of DJL's own {@code forward}, as during training. */
    private Map<String, NDArray> masks = Map.of();
    /** The convolution whose mask applies at each unit's last layer. */
    private final Map<String, String> unitOf = new HashMap<>();
    /** The resolved padding of each convolution, pool and zero padding. */
    private final Map<String, Padding> paddings = new HashMap<>();

    GraphBlock(Architecture architecture) {
        super(VERSION);
        this.architecture = architecture;
        this.graph = architecture.graph();
        this.units = architecture.units();
        for (String conv : units.convs()) {
            unitOf.put(units.unitEnd(conv), conv);
        }
        for (Layer layer : graph.layers()) {
            if (layer instanceof Conv c) {
                Padding p = resolve(layer.inputs().get(0), c.padding(), c.kernelHeight(), c.kernelWidth(),
                        c.strideHeight(), c.strideWidth());
                paddings.put(c.name(), p);
                addLayer(c.name(), Conv2d.builder()
                        .setKernelShape(new Shape(c.kernelHeight(), c.kernelWidth()))
                        .setFilters(c.filters())
                        .optStride(new Shape(c.strideHeight(), c.strideWidth()))
                        .optPadding(p.symmetric() ? new Shape(p.top(), p.left()) : new Shape(0, 0))
                        .optBias(c.bias())
                        .build());
            } else if (layer instanceof Layer.Pool p) {
                paddings.put(p.name(), resolve(layer.inputs().get(0), p.padding(), p.kernelHeight(),
                        p.kernelWidth(), p.strideHeight(), p.strideWidth()));
            } else if (layer instanceof ZeroPad z) {
                paddings.put(z.name(), z.padding());
            } else if (layer instanceof Dense d) {
                addLayer(d.name(), Linear.builder().setUnits(d.units()).optBias(d.bias()).build());
            } else if (layer instanceof Layer.BatchNorm b) {
                addLayer(b.name(), BatchNorm.builder().optAxis(1).optEpsilon(b.epsilon())
                        .optMomentum(b.momentum()).build());
            }
        }
    }

    /** Adds the child block of the layer {@code name}. */
    private void addLayer(String name, Block block) {
        addChildBlock(name, block);
        layers.put(name, block);
    }

    /** Uses {@code keep} masks by convolution name in every later call of DJL's {@code forward}, as during training. */
    void setMasks(Map<String, NDArray> keep) {
        masks = Map.copyOf(keep);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(forward(store, inputs.singletonOrThrow(), LayerGraph.INPUT, masks, training,
                LayerObserver.NONE));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), architecture.classes())};
    }

    /**
     * {@code x} times the mask of {@code conv}, if there is one. {@code x} is (N, C, H, W), or (N, C)
     * for a global pool that drops the spatial axes (a cache point), where the (1, C, 1, 1) mask
     * would broadcast to (1, C, N, C).
     */
    static NDArray masked(NDArray x, String conv, Map<String, NDArray> masks) {
        NDArray keep = masks.get(conv);
        if (keep == null) {
            return x;
        }
        return x.mul(x.getShape().dimension() == 2 ? keep.reshape(1, -1) : keep);
    }

    /** The DJL parameter {@code name} of layer {@code layer}, or {@code null} if it has none of that name. */
    Parameter parameter(String layer, String name) {
        return block(layer).getParameters().get(name);
    }

    private Block block(String name) {
        Block block = layers.get(name);
        if (block == null) {
            throw new IllegalArgumentException("no weighted layer '" + name + "' in " + architecture.name());
        }
        return block;
    }

    private Padding resolve(String input, Padding padding, int kh, int kw, int sh, int sw) {
        int[] in = graph.shape(input);
        return padding.resolve(in[1], in[2], kh, kw, sh, sw);
    }

    /**
     * Runs the network from the output of layer {@code from} ({@code input}, or a {@link
     * Architecture#cachePoint} computed without masks) to the logits, applying {@code masks}: (1, C,
     * 1, 1) arrays of 1 (keep) and 0 (pruned) by convolution name, which multiply the units' outputs.
     *
     * @throws IllegalArgumentException if {@code from} is not a layer every path to the output passes through
     */
    NDArray forward(ParameterStore store, NDArray x, String from, Map<String, NDArray> masks, boolean training,
            LayerObserver observer) {
        List<Layer> order = graph.layers();
        int start = order.indexOf(graph.layer(from));
        Map<String, NDArray> values = new HashMap<>();
        if (start == 0) {
            values.put(from, BlockSupport.observe(from, x, observer));
        } else if (units.dominatesOutput(from)) {
            String conv = units.maskedAt(from);
            values.put(from, conv == null ? x : masked(x, conv, masks));
        } else {
            throw new IllegalArgumentException(graph.name() + " cannot resume from '" + from
                    + "': not every path to the output passes through it");
        }
        Step step = new Step(store, values, masks, training, observer);
        for (Layer layer : order.subList(start + 1, order.size())) {
            if (values.containsKey(layer.name()) || !values.keySet().containsAll(layer.inputs())) {
                continue; // computed with the unit before it, or not after the resumed layer
            }
            if (!training && fusesReluPool(layer, observer)) {
                step.reluPool(layer);
                continue;
            }
            NDArray out = step.apply(layer);
            String conv = unitOf.get(layer.name());
            if (conv != null) {
                out = masked(out, conv, masks);
                if (!conv.equals(layer.name())) {
                    BlockSupport.observe(conv, out, observer);
                }
            }
            // A convolution whose unit goes on (batch normalisation, activation) is observed once, at
            // the unit's end, by its unit's output: its raw output is no channel the network prunes.
            boolean unitGoesOn = layer instanceof Conv && conv == null;
            values.put(layer.name(), unitGoesOn ? out : BlockSupport.observe(layer.name(), out, observer));
        }
        return values.get(graph.output());
    }

    /**
     * Whether {@code layer} ends a ReLU unit read only by a 2x2 max pool of stride 2, with neither
     * observed, so that {@link Step#reluPool} may run the pool first.
     */
    private boolean fusesReluPool(Layer layer, LayerObserver observer) {
        String conv = unitOf.get(layer.name());
        if (conv == null || observer.wants(conv) || observer.wants(layer.name())) {
            return false;
        }
        boolean relu = layer instanceof Conv c ? c.activation() == Function.RELU
                : layer instanceof Activation a && a.function() == Function.RELU;
        List<String> next = graph.consumers(layer.name());
        return relu && next.size() == 1 && isMaxPool2x2(graph.layer(next.get(0)));
    }

    private boolean isMaxPool2x2(Layer layer) {
        return layer instanceof Layer.Pool p && p.kind() == PoolKind.MAX && p.kernelHeight() == 2
                && p.kernelWidth() == 2 && p.strideHeight() == 2 && p.strideWidth() == 2
                && paddings.get(p.name()).none();
    }

    /** The computation of each layer in one forward pass. */
    private final class Step {
        private final ParameterStore store;
        private final Map<String, NDArray> values;
        private final Map<String, NDArray> masks;
        private final boolean training;
        private final LayerObserver observer;

        Step(ParameterStore store, Map<String, NDArray> values, Map<String, NDArray> masks, boolean training,
                LayerObserver observer) {
            this.store = store;
            this.values = values;
            this.masks = masks;
            this.training = training;
            this.observer = observer;
        }

        NDArray in(Layer layer) {
            return values.get(layer.inputs().get(0));
        }

        NDArray apply(Layer layer) {
            if (layer instanceof Conv c) {
                return activate(linearConv(c), c.activation());
            }
            if (layer instanceof Layer.Pool p) {
                return pool(p, in(p));
            }
            if (layer instanceof GlobalPool g) {
                NDArray x = in(g);
                Shape s = x.getShape();
                NDArray positions = x.reshape(s.get(0), s.get(1), -1);
                NDArray pooled = g.kind() == PoolKind.MAX ? positions.max(new int[] {2}) : positions.mean(new int[] {2});
                return g.keepDims() ? pooled.reshape(s.get(0), s.get(1), 1, 1) : pooled;
            }
            if (layer instanceof Dense d) {
                return activate(child(d, in(d)), d.activation());
            }
            if (layer instanceof Flatten f) {
                NDArray x = in(f);
                return x.reshape(x.getShape().get(0), -1);
            }
            if (layer instanceof Add a) {
                NDArray sum = values.get(a.inputs().get(0));
                for (String i : a.inputs().subList(1, a.inputs().size())) {
                    sum = sum.add(values.get(i));
                }
                return sum;
            }
            if (layer instanceof Concat c) {
                NDList parts = new NDList();
                c.inputs().forEach(i -> parts.add(values.get(i)));
                return NDArrays.concat(parts, 1);
            }
            if (layer instanceof Activation a) {
                return activate(in(a), a.function());
            }
            if (layer instanceof Layer.Dropout d) {
                return training && d.rate() > 0 ? Dropout.dropout(in(d), d.rate(), true).singletonOrThrow() : in(d);
            }
            if (layer instanceof Layer.BatchNorm b) {
                return child(b, in(b));
            }
            if (layer instanceof ZeroPad z) {
                return padded(in(z), paddings.get(z.name()), 0);
            }
            throw new IllegalStateException("no computation for " + LayerGraph.describe(layer));
        }

        /** The unit ending at {@code end} and the max pool after it, as ReLU of the pool; see the class comment. */
        void reluPool(Layer end) {
            NDArray linear = end instanceof Conv c ? linearConv(c) : in(end);
            String pool = graph.consumers(end.name()).get(0);
            NDArray pooled = ai.djl.nn.Activation.relu(BlockSupport.maxPool2x2(linear));
            pooled = masked(pooled, unitOf.get(end.name()), masks);
            values.put(pool, BlockSupport.observe(pool, pooled, observer));
        }

        private NDArray linearConv(Conv c) {
            Padding p = paddings.get(c.name());
            NDArray x = p.symmetric() ? in(c) : padded(in(c), p, 0);
            return child(c, x);
        }

        private NDArray pool(Layer.Pool p, NDArray x) {
            Padding pad = paddings.get(p.name());
            Shape kernel = new Shape(p.kernelHeight(), p.kernelWidth());
            Shape stride = new Shape(p.strideHeight(), p.strideWidth());
            if (p.kind() == PoolKind.AVERAGE) {
                return Pool.avgPool2d(x, kernel, stride, new Shape(pad.top(), pad.left()), false, false);
            }
            if (!training && isMaxPool2x2(p)) {
                return BlockSupport.maxPool2x2(x);
            }
            if (!pad.symmetric()) {
                return Pool.maxPool2d(padded(x, pad, Float.NEGATIVE_INFINITY), kernel, stride, new Shape(0, 0), false);
            }
            return Pool.maxPool2d(x, kernel, stride, new Shape(pad.top(), pad.left()), false);
        }

        private NDArray child(Layer layer, NDArray x) {
            return block(layer.name()).forward(store, new NDList(x), training).singletonOrThrow();
        }
    }

    private static NDArray activate(NDArray x, Function function) {
        return switch (function) {
            case LINEAR -> x;
            case RELU -> ai.djl.nn.Activation.relu(x);
            case SIGMOID -> ai.djl.nn.Activation.sigmoid(x);
            case TANH -> ai.djl.nn.Activation.tanh(x);
            case SOFTMAX -> x.softmax(1);
        };
    }

    /** {@code x} with {@code value} rows and columns added around its spatial axes. */
    private static NDArray padded(NDArray x, Padding p, float value) {
        NDArray out = x;
        long[] s = out.getShape().getShape();
        out = around(out, 2, p.top(), p.bottom(), value, s);
        s = out.getShape().getShape();
        return around(out, 3, p.left(), p.right(), value, s);
    }

    private static NDArray around(NDArray x, int axis, int before, int after, float value, long[] shape) {
        if (before == 0 && after == 0) {
            return x;
        }
        NDList parts = new NDList();
        if (before > 0) {
            long[] b = shape.clone();
            b[axis] = before;
            parts.add(x.getManager().full(new Shape(b), value, x.getDataType()));
        }
        parts.add(x);
        if (after > 0) {
            long[] a = shape.clone();
            a[axis] = after;
            parts.add(x.getManager().full(new Shape(a), value, x.getDataType()));
        }
        return NDArrays.concat(parts, axis);
    }

    /** The current values of every weight of the graph, as {@code layer/param}, in the engine's layout. */
    Map<String, float[]> parameters() {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (String name : graph.parameters().keySet()) {
            values.put(name, parameter(name).getArray().toFloatArray());
        }
        return values;
    }

    /**
     * Sets every weight of the graph from {@code values} ({@code layer/param} in the engine's layout).
     *
     * @throws IllegalArgumentException if a weight is missing or has another number of values
     */
    void setParameters(Map<String, float[]> values) {
        graph.parameters().forEach((name, shape) -> {
            float[] v = values.get(name);
            if (v == null) {
                throw new IllegalArgumentException("no weight '" + name + "' given for " + graph.name());
            }
            NDArray array = parameter(name).getArray();
            if (array.getShape().size() != v.length) {
                throw new IllegalArgumentException(name + " expects " + array.getShape() + " values, got " + v.length);
            }
            array.set(v);
        });
    }

    /** The DJL parameter of the weight {@code layer/param}. */
    Parameter parameter(String layerAndParam) {
        int slash = layerAndParam.lastIndexOf('/');
        return parameter(layerAndParam.substring(0, slash), layerAndParam.substring(slash + 1));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        for (Layer layer : graph.layers()) {
            if (layer instanceof Conv || layer instanceof Dense || layer instanceof Layer.BatchNorm) {
                int[] in = graph.shape(layer.inputs().get(0));
                long[] shape = new long[in.length + 1];
                shape[0] = n;
                for (int i = 0; i < in.length; i++) {
                    shape[i + 1] = in[i];
                }
                Padding p = paddings.get(layer.name());
                if (p != null && !p.symmetric()) {
                    shape[2] += p.top() + p.bottom();
                    shape[3] += p.left() + p.right();
                }
                block(layer.name()).initialize(manager, dataType, new Shape(shape));
            }
        }
    }
}
