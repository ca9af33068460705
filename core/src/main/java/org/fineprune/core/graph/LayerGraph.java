package org.fineprune.core.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fineprune.core.ImageShape;
import org.fineprune.core.LayerSpec;
import org.fineprune.core.graph.Layer.Activation;
import org.fineprune.core.graph.Layer.Add;
import org.fineprune.core.graph.Layer.BatchNorm;
import org.fineprune.core.graph.Layer.Concat;
import org.fineprune.core.graph.Layer.Conv;
import org.fineprune.core.graph.Layer.Dense;
import org.fineprune.core.graph.Layer.Dropout;
import org.fineprune.core.graph.Layer.Flatten;
import org.fineprune.core.graph.Layer.FlattenOrder;
import org.fineprune.core.graph.Layer.GlobalPool;
import org.fineprune.core.graph.Layer.Input;
import org.fineprune.core.graph.Layer.Padding;
import org.fineprune.core.graph.Layer.Pool;
import org.fineprune.core.graph.Layer.ZeroPad;

/**
 * A network as a graph of named {@link Layer}s in forward order, from one image input to one output
 * of class scores, with the shape of every layer's output and of every weight.
 *
 * <p>The output is the logits: a final softmax (a layer of its own, or fused in the last dense
 * layer) leaves the arg max unchanged and is left out by the loaders. Building a graph checks it
 * whole (every input defined before it is read, shapes that fit), so that a network that cannot
 * run is refused when it is loaded, naming the layer.
 */
public final class LayerGraph {
    /** The name of the input layer of every graph (the file readers rename it), where a forward pass starts. */
    public static final String INPUT = "input";

    private final String name;
    private final ImageShape input;
    private final List<Layer> layers;
    private final Map<String, Layer> byName = new LinkedHashMap<>();
    private final Map<String, int[]> shapes = new LinkedHashMap<>();
    private final Map<String, List<String>> consumers = new LinkedHashMap<>();
    private final Map<String, int[]> parameters = new LinkedHashMap<>();
    private final List<String> hwcFlattens = new ArrayList<>();

    /**
     * A graph whose first layer is the {@link Input}, called {@value #INPUT}, and whose last layer is
     * the output.
     *
     * @throws IllegalArgumentException naming the layer and its type, if a name repeats, an input is
     *     not defined before the layer that reads it, or shapes do not fit
     */
    public LayerGraph(String name, ImageShape input, List<Layer> layers) {
        this.name = name;
        this.input = input;
        this.layers = List.copyOf(layers);
        if (this.layers.isEmpty() || !(this.layers.get(0) instanceof Input first) || !first.name().equals(INPUT)) {
            throw new IllegalArgumentException(name + ": the first layer must be the input, called '" + INPUT + "'");
        }
        for (Layer layer : this.layers) {
            if (byName.containsKey(layer.name())) {
                throw new IllegalArgumentException(describe(layer) + " repeats the name of an earlier layer");
            }
            List<int[]> in = new ArrayList<>();
            for (String i : layer.inputs()) {
                if (!shapes.containsKey(i)) {
                    throw new IllegalArgumentException(describe(layer) + " reads '" + i
                            + "', which is not a layer defined before it");
                }
                in.add(shapes.get(i));
                consumers.get(i).add(layer.name());
            }
            byName.put(layer.name(), layer);
            shapes.put(layer.name(), outputShape(layer, in));
            consumers.put(layer.name(), new ArrayList<>());
        }
        int[] out = shapes.get(output());
        if (out.length != 1) {
            throw new IllegalArgumentException(describe(byName.get(output())) + " is the output but gives shape "
                    + Arrays.toString(out) + ", not one score per class");
        }
        checkHwcFlattens();
    }

    /**
     * The graph of the layers that {@code output} needs, in the order given, up to the logits: a
     * softmax at the output (a layer of its own, or the activation of the last dense layer) is left
     * out, since it does not change the arg max.
     *
     * @throws IllegalArgumentException as {@link #LayerGraph}, or if {@code output} is not a layer
     */
    public static LayerGraph toLogits(String name, ImageShape input, List<Layer> layers, String output) {
        Map<String, Layer> byName = new LinkedHashMap<>();
        layers.forEach(l -> byName.put(l.name(), l));
        Layer last = byName.get(output);
        if (last == null) {
            throw new IllegalArgumentException("the output '" + output + "' is not a layer");
        }
        if (last instanceof Activation a && a.function() == Layer.Function.SOFTMAX) {
            last = byName.get(a.input());
        } else if (last instanceof Dense d && d.activation() == Layer.Function.SOFTMAX) {
            last = new Dense(d.name(), d.input(), d.units(), d.bias(), Layer.Function.LINEAR);
        }
        byName.put(last.name(), last);
        Set<String> needed = new HashSet<>();
        Deque<String> open = new ArrayDeque<>(List.of(last.name()));
        while (!open.isEmpty()) {
            String n = open.pop();
            if (needed.add(n) && byName.containsKey(n)) {
                open.addAll(byName.get(n).inputs());
            }
        }
        List<Layer> kept = new ArrayList<>();
        for (Layer l : byName.values()) {
            if (needed.contains(l.name()) && !l.name().equals(last.name())) {
                kept.add(l);
            }
        }
        kept.add(last);
        return new LayerGraph(name, input, kept);
    }

    /** The layer's name and type for messages, for example {@code layer 'conv_1' (Conv)}. */
    public static String describe(Layer layer) {
        return "layer '" + layer.name() + "' (" + layer.getClass().getSimpleName() + ")";
    }

    /** A short name for messages and records. */
    public String name() {
        return name;
    }

    /** The shape of one input image. */
    public ImageShape input() {
        return input;
    }

    /** The layers in forward order, the input first and the output last. */
    public List<Layer> layers() {
        return layers;
    }

    /** The name of the output layer, whose values are the logits. */
    public String output() {
        return layers.get(layers.size() - 1).name();
    }

    /** The number of classes: the output's size. */
    public int classes() {
        return shapes.get(output())[0];
    }

    /** The layer called {@code name}, or an exception listing the layers there are. */
    public Layer layer(String name) {
        Layer layer = byName.get(name);
        if (layer == null) {
            throw new IllegalArgumentException("no layer '" + name + "' in " + this.name + "; layers: " + byName.keySet());
        }
        return layer;
    }

    /** The shape of one image's output of layer {@code name}: (C, H, W) or (F). */
    public int[] shape(String name) {
        layer(name);
        return shapes.get(name).clone();
    }

    /** The layers that read the output of layer {@code name}, in forward order. */
    public List<String> consumers(String name) {
        layer(name);
        return Collections.unmodifiableList(consumers.get(name));
    }

    /**
     * The weights the graph needs, as {@code layer/param} (for example {@code conv_1/weight}) with
     * their shapes in the engine's layout; see each layer's comment for its parameters.
     */
    public Map<String, int[]> parameters() {
        Map<String, int[]> copy = new LinkedHashMap<>();
        parameters.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /**
     * The shapes of convolution or dense layer {@code name} in Keras layout: kernels (kh, kw, in,
     * out) and (in, out); a dense layer that reads an H, W, C flatten of a map records the map's (H,
     * W, C) shape, by which its kernel rows are permuted.
     *
     * @throws IllegalArgumentException if the layer is neither
     */
    public LayerSpec kerasLayout(String name) {
        Layer layer = layer(name);
        int[] w = parameters.get(name + "/weight");
        if (layer instanceof Conv) {
            return new LayerSpec(name, new int[] {w[2], w[3], w[1], w[0]}, null);
        }
        if (!(layer instanceof Dense)) {
            throw new IllegalArgumentException(describe(layer) + " has no kernel");
        }
        int[] flattenedFrom = null;
        if (layer(layer.inputs().get(0)) instanceof Flatten f && hwcFlattens.contains(f.name())) {
            int[] map = shapes.get(f.input());
            flattenedFrom = new int[] {map[1], map[2], map[0]};
        }
        return new LayerSpec(name, new int[] {w[1], w[0]}, flattenedFrom);
    }

    private int[] outputShape(Layer layer, List<int[]> in) {
        if (layer instanceof Input) {
            return new int[] {input.channels(), input.height(), input.width()};
        }
        int[] x = in.get(0);
        if (layer instanceof Conv c) {
            map(c, x);
            Padding p = c.padding().resolve(x[1], x[2], c.kernelHeight(), c.kernelWidth(), c.strideHeight(),
                    c.strideWidth());
            param(c, "weight", c.filters(), x[0], c.kernelHeight(), c.kernelWidth());
            if (c.bias()) {
                param(c, "bias", c.filters());
            }
            return new int[] {c.filters(), windows(c, x[1] + p.top() + p.bottom(), c.kernelHeight(), c.strideHeight()),
                    windows(c, x[2] + p.left() + p.right(), c.kernelWidth(), c.strideWidth())};
        }
        if (layer instanceof Pool p) {
            map(p, x);
            Padding pad = p.padding().resolve(x[1], x[2], p.kernelHeight(), p.kernelWidth(), p.strideHeight(),
                    p.strideWidth());
            if (p.kind() == Layer.PoolKind.AVERAGE && !pad.symmetric()) {
                throw new IllegalArgumentException(describe(p) + " averages with uneven padding " + pad
                        + ", which is not supported");
            }
            return new int[] {x[0], windows(p, x[1] + pad.top() + pad.bottom(), p.kernelHeight(), p.strideHeight()),
                    windows(p, x[2] + pad.left() + pad.right(), p.kernelWidth(), p.strideWidth())};
        }
        if (layer instanceof GlobalPool g) {
            map(g, x);
            return g.keepDims() ? new int[] {x[0], 1, 1} : new int[] {x[0]};
        }
        if (layer instanceof Dense d) {
            if (x.length != 1) {
                throw new IllegalArgumentException(describe(d) + " reads a map of shape " + Arrays.toString(x)
                        + "; flatten it first");
            }
            param(d, "weight", d.units(), x[0]);
            if (d.bias()) {
                param(d, "bias", d.units());
            }
            return new int[] {d.units()};
        }
        if (layer instanceof Flatten f) {
            if (f.order() == FlattenOrder.HWC && x.length == 3 && x[1] * x[2] > 1) {
                hwcFlattens.add(f.name());
            }
            return new int[] {Arrays.stream(x).reduce(1, (a, b) -> a * b)};
        }
        if (layer instanceof Add a) {
            for (int[] y : in) {
                if (!Arrays.equals(y, x)) {
                    throw new IllegalArgumentException(describe(a) + " adds shapes " + shapesOf(in));
                }
            }
            return x.clone();
        }
        if (layer instanceof Concat c) {
            int[] out = x.clone();
            for (int[] y : in.subList(1, in.size())) {
                if (y.length != out.length || !Arrays.equals(Arrays.copyOfRange(y, 1, y.length),
                        Arrays.copyOfRange(out, 1, out.length))) {
                    throw new IllegalArgumentException(describe(c) + " concatenates shapes " + shapesOf(in)
                            + " along the channels");
                }
                out[0] += y[0];
            }
            return out;
        }
        if (layer instanceof BatchNorm b) {
            for (String p : List.of("gamma", "beta", "runningMean", "runningVar")) {
                param(b, p, x[0]);
            }
            return x.clone();
        }
        if (layer instanceof ZeroPad z) {
            map(z, x);
            Padding p = z.padding();
            return new int[] {x[0], x[1] + p.top() + p.bottom(), x[2] + p.left() + p.right()};
        }
        return x.clone(); // Activation, Dropout
    }

    /**
     * Checks that every H, W, C flatten of a map feeds dense layers only: the engine flattens in C,
     * H, W order, and the dense kernels' rows are permuted when they are loaded.
     */
    private void checkHwcFlattens() {
        for (String f : hwcFlattens) {
            for (String c : consumers.get(f)) {
                if (!(byName.get(c) instanceof Dense)) {
                    throw new IllegalArgumentException(describe(byName.get(f)) + " flattens in H, W, C order and feeds "
                            + describe(byName.get(c)) + "; only dense layers may read such a flatten");
                }
            }
        }
    }

    private static String shapesOf(List<int[]> in) {
        return in.stream().map(Arrays::toString).toList().toString();
    }

    private static int[] map(Layer layer, int[] x) {
        if (x.length != 3) {
            throw new IllegalArgumentException(describe(layer) + " needs a (C, H, W) map, reads shape "
                    + Arrays.toString(x));
        }
        return x;
    }

    private static int windows(Layer layer, int size, int kernel, int stride) {
        if (size < kernel) {
            throw new IllegalArgumentException(describe(layer) + " has a kernel of " + kernel + " for an input of "
                    + size);
        }
        return (size - kernel) / stride + 1;
    }

    private void param(Layer layer, String param, int... shape) {
        parameters.put(layer.name() + "/" + param, shape);
    }
}
