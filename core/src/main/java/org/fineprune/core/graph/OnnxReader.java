package org.fineprune.core.graph;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fineprune.core.ImageShape;
import org.fineprune.core.ModelFormatException;
import org.fineprune.core.graph.Layer.Function;
import org.fineprune.core.graph.Layer.Padding;
import org.fineprune.core.graph.Layer.PoolKind;

/**
 * Reads an ONNX model file (what {@code torch.onnx.export} writes, opsets 11 to 17) into a {@link
 * GraphModel}, with the protobuf classes of the ONNX schema.
 *
 * <p>Supported operators: Conv, Relu, Sigmoid, Tanh, MaxPool, AveragePool, GlobalAveragePool,
 * GlobalMaxPool, Gemm, MatMul (with an Add of a constant as its bias), Add, Concat (channels),
 * Flatten (axis 1), Reshape to (N, -1), BatchNormalization, Dropout, Identity, Softmax, Constant and
 * Pad (zeros, as PyTorch writes before an average pool). Anything else, or an attribute outside what
 * a layer supports, is refused naming the node. A final Softmax is left out: the graph gives logits.
 *
 * <p>Layers are named after the PyTorch module path that scoped node names carry ({@code
 * /layer1/layer1.0/conv2/Conv} is {@code layer1.0.conv2}); where two nodes share a module, the
 * operator is appended ({@code layer1.0.Add}); unscoped nodes keep their names.
 */
public final class OnnxReader {
    /** The opsets supported, as {@code torch.onnx.export} writes them. */
    static final int MIN_OPSET = 11;
    static final int MAX_OPSET = 17;

    /** The name of the input layer of every graph read. */
    private static final String INPUT = LayerGraph.INPUT;

    private final Path file;
    private final Map<String, Tensor> constants = new HashMap<>();
    /** The layer whose output each tensor name is. */
    private final Map<String, String> producers = new HashMap<>();
    private final List<Layer> layers = new ArrayList<>();
    private final Map<String, float[]> weights = new LinkedHashMap<>();
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, Binding> bindings = new HashMap<>();
    private final Map<NodeProto, Integer> nodeIndex = new HashMap<>();
    private GraphModel model;

    /**
     * Where a weight of the graph comes from in the file: input {@code input} of node number {@code
     * node}, a constant named {@code tensor}, stored transposed for MatMul and Gemm without transB.
     */
    record Binding(int node, int input, String tensor, boolean transposed) {}

    private OnnxReader(Path file) {
        this.file = file;
    }

    /** A constant tensor: its shape and values as floats. */
    private record Tensor(long[] dims, float[] values) {}

    /**
     * Reads {@code file}.
     *
     * @throws ModelFormatException if the file is not a readable ONNX model (for example truncated),
     *     its opset is outside 11..17, or a node is not supported (naming it)
     * @throws IOException if the file cannot be read
     */
    public static GraphModel read(Path file) throws IOException {
        return parse(file).model;
    }

    /** Where each weight of the graph of {@code file} is stored in it, by {@code layer/param}. */
    static Map<String, Binding> bindings(Path file) throws IOException {
        return parse(file).bindings;
    }

    private static OnnxReader parse(Path file) throws IOException {
        ModelProto model;
        try (InputStream in = Files.newInputStream(file)) {
            model = ModelProto.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFormatException(file + ": not a readable ONNX model (" + e.getMessage() + ")", e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new ModelFormatException(file + ": not an ONNX model: no graph");
        }
        OnnxReader reader = new OnnxReader(file);
        reader.model = reader.convert(model);
        return reader;
    }

    private GraphModel convert(ModelProto model) {
        int opset = model.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
                .mapToInt(o -> (int) o.getVersion()).findFirst().orElse(-1);
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new ModelFormatException(file + ": ONNX opset " + opset + " is not supported; supported: "
                    + MIN_OPSET + " to " + MAX_OPSET);
        }
        GraphProto graph = model.getGraph();
        graph.getInitializerList().forEach(t -> constants.put(t.getName(), tensor(t.getName(), t)));
        ValueInfoProto input = imageInput(graph);
        layers.add(new Layer.Input(INPUT));
        producers.put(input.getName(), INPUT);
        nameLayers(graph.getNodeList());
        for (int i = 0; i < graph.getNodeCount(); i++) {
            nodeIndex.put(graph.getNode(i), i);
            convert(graph.getNode(i));
        }
        if (graph.getOutputCount() != 1) {
            throw new ModelFormatException(file + ": the graph has " + graph.getOutputCount() + " outputs; one is supported");
        }
        String output = producers.get(graph.getOutput(0).getName());
        try {
            LayerGraph result = LayerGraph.toLogits(graph.getName().isEmpty() ? file.getFileName().toString()
                    : graph.getName(), shape(input), layers, output);
            Map<String, float[]> used = new LinkedHashMap<>();
            result.parameters().keySet().forEach(k -> used.put(k, weights.get(k)));
            return new GraphModel(result, used);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": " + e.getMessage(), e);
        }
    }

    private ValueInfoProto imageInput(GraphProto graph) {
        List<ValueInfoProto> inputs = graph.getInputList().stream()
                .filter(i -> !constants.containsKey(i.getName())).toList();
        if (inputs.size() != 1) {
            throw new ModelFormatException(file + ": the graph has " + inputs.size() + " inputs; one image input is supported");
        }
        return inputs.get(0);
    }

    private ImageShape shape(ValueInfoProto input) {
        List<TensorShapeProto.Dimension> dims = input.getType().getTensorType().getShape().getDimList();
        if (dims.size() != 4 || dims.subList(1, 4).stream().anyMatch(d -> !d.hasDimValue())) {
            throw new ModelFormatException(file + ": input '" + input.getName() + "' must be (N, C, H, W) with fixed C, H, W; it is "
                    + dims.stream().map(d -> d.hasDimValue() ? String.valueOf(d.getDimValue()) : d.getDimParam()).toList());
        }
        return new ImageShape((int) dims.get(1).getDimValue(), (int) dims.get(2).getDimValue(),
                (int) dims.get(3).getDimValue());
    }

    /** Names each node after its PyTorch module path; see the class comment. */
    private void nameLayers(List<NodeProto> nodes) {
        Map<String, NodeProto> lastOfPath = new HashMap<>();
        for (NodeProto node : nodes) {
            lastOfPath.put(modulePath(node), node);
        }
        Set<String> taken = new HashSet<>(Set.of(INPUT));
        for (NodeProto node : nodes) {
            String path = modulePath(node);
            String last = node.getName().substring(node.getName().lastIndexOf('/') + 1);
            String name = path.isEmpty() ? (last.isEmpty() ? node.getOutput(0) : last)
                    : lastOfPath.get(path) == node ? path : path + "." + last;
            while (!taken.add(name)) {
                name = name + "_";
            }
            names.put(node.getOutput(0), name);
        }
    }

    private static String modulePath(NodeProto node) {
        String name = node.getName();
        if (!name.startsWith("/")) {
            return "";
        }
        String[] parts = name.substring(1).split("/");
        StringBuilder path = new StringBuilder();
        String previous = "";
        for (int i = 0; i < parts.length - 1; i++) {
            String part = parts[i];
            String own = !previous.isEmpty() && part.startsWith(previous + ".") ? part.substring(previous.length() + 1) : part;
            path.append(path.length() == 0 ? "" : ".").append(own);
            previous = part;
        }
        return path.toString();
    }

    private void convert(NodeProto node) {
        String op = node.getOpType();
        switch (op) {
            case "Constant" -> constants.put(node.getOutput(0), tensor(node.getOutput(0), attribute(node, "value").getT()));
            case "Identity" -> alias(node);
            case "Dropout" -> {
                single(node);
                add(node, new Layer.Dropout(name(node), in(node, 0), node.getInputCount() > 1
                        ? constant(node, 1).values()[0] : floatAttribute(node, "ratio", 0.5f)));
            }
            case "Relu" -> add(node, new Layer.Activation(name(node), in(node, 0), Function.RELU));
            case "Sigmoid" -> add(node, new Layer.Activation(name(node), in(node, 0), Function.SIGMOID));
            case "Tanh" -> add(node, new Layer.Activation(name(node), in(node, 0), Function.TANH));
            case "Softmax" -> {
                long axis = intAttribute(node, "axis", -1);
                if (axis != 1 && axis != -1) {
                    throw unsupported(node, "axis " + axis);
                }
                add(node, new Layer.Activation(name(node), in(node, 0), Function.SOFTMAX));
            }
            case "Conv" -> conv(node);
            case "MaxPool", "AveragePool" -> pool(node);
            case "GlobalAveragePool" -> add(node, new Layer.GlobalPool(name(node), in(node, 0), PoolKind.AVERAGE, true));
            case "GlobalMaxPool" -> add(node, new Layer.GlobalPool(name(node), in(node, 0), PoolKind.MAX, true));
            case "Flatten" -> {
                long axis = intAttribute(node, "axis", 1);
                if (axis != 1) {
                    throw unsupported(node, "axis " + axis);
                }
                add(node, new Layer.Flatten(name(node), in(node, 0), Layer.FlattenOrder.CHW));
            }
            case "Reshape" -> reshape(node);
            case "Gemm" -> gemm(node);
            case "MatMul" -> matMul(node);
            case "Add" -> addNode(node);
            case "Concat" -> {
                long axis = intAttribute(node, "axis", 1);
                if (axis != 1) {
                    throw unsupported(node, "axis " + axis + " (only the channel axis 1)");
                }
                List<String> inputs = new ArrayList<>();
                for (int i = 0; i < node.getInputCount(); i++) {
                    inputs.add(in(node, i));
                }
                add(node, new Layer.Concat(name(node), inputs));
            }
            case "BatchNormalization" -> batchNorm(node);
            case "Pad" -> pad(node);
            default -> throw new ModelFormatException(file + ": node '" + node.getName() + "' (" + op
                    + ") is not supported; supported: Conv, Relu, Sigmoid, Tanh, MaxPool, AveragePool, GlobalAveragePool,"
                    + " GlobalMaxPool, Gemm, MatMul, Add, Concat, Flatten, Reshape, BatchNormalization, Dropout, Identity,"
                    + " Softmax, Constant, Pad");
        }
    }

    private void conv(NodeProto node) {
        Tensor w = constant(node, 1);
        if (w.dims().length != 4) {
            throw unsupported(node, "a kernel of shape " + Arrays.toString(w.dims()) + " (only 2-D convolutions)");
        }
        if (intAttribute(node, "group", 1) != 1) {
            throw unsupported(node, "group " + intAttribute(node, "group", 1));
        }
        requireOnes(node, "dilations");
        int[] kernel = {(int) w.dims()[2], (int) w.dims()[3]};
        int[] stride = pair(node, "strides");
        boolean bias = node.getInputCount() > 2 && !node.getInput(2).isEmpty();
        String name = name(node);
        add(node, new Layer.Conv(name, in(node, 0), (int) w.dims()[0], kernel[0], kernel[1], stride[0], stride[1],
                padding(node), bias, Function.LINEAR));
        weights.put(name + "/weight", w.values());
        bind(name + "/weight", node, 1, false);
        if (bias) {
            weights.put(name + "/bias", constant(node, 2).values());
            bind(name + "/bias", node, 2, false);
        }
    }

    private void pool(NodeProto node) {
        single(node);
        if (intAttribute(node, "ceil_mode", 0) != 0) {
            throw unsupported(node, "ceil_mode 1");
        }
        requireOnes(node, "dilations");
        boolean average = node.getOpType().equals("AveragePool");
        Padding padding = padding(node);
        if (average && intAttribute(node, "count_include_pad", 0) != 0 && !padding.none()) {
            throw unsupported(node, "count_include_pad 1 with padding");
        }
        List<Long> k = ints(node, "kernel_shape");
        int[] stride = pair(node, "strides");
        add(node, new Layer.Pool(name(node), in(node, 0), average ? PoolKind.AVERAGE : PoolKind.MAX, k.get(0).intValue(),
                k.get(1).intValue(), stride[0], stride[1], padding));
    }

    private void reshape(NodeProto node) {
        long[] shape = longs(constant(node, 1));
        if (shape.length != 2 || shape[1] != -1 && !(shape[0] == -1 || shape[0] == 0)) {
            throw unsupported(node, "target shape " + Arrays.toString(shape) + " (only (N, -1))");
        }
        add(node, new Layer.Flatten(name(node), in(node, 0), Layer.FlattenOrder.CHW));
    }

    private void gemm(NodeProto node) {
        if (floatAttribute(node, "alpha", 1) != 1 || floatAttribute(node, "beta", 1) != 1
                || intAttribute(node, "transA", 0) != 0) {
            throw unsupported(node, "alpha, beta or transA other than 1, 1, 0");
        }
        Tensor b = constant(node, 1);
        float[] kernel = intAttribute(node, "transB", 0) == 1 ? b.values() : transpose(b);
        int units = (int) (intAttribute(node, "transB", 0) == 1 ? b.dims()[0] : b.dims()[1]);
        boolean bias = node.getInputCount() > 2 && !node.getInput(2).isEmpty();
        String name = name(node);
        add(node, new Layer.Dense(name, in(node, 0), units, bias, Function.LINEAR));
        weights.put(name + "/weight", kernel);
        bind(name + "/weight", node, 1, intAttribute(node, "transB", 0) != 1);
        if (bias) {
            float[] c = constant(node, 2).values();
            if (c.length != units) {
                throw unsupported(node, "a bias of " + c.length + " values for " + units + " units");
            }
            weights.put(name + "/bias", c);
            bind(name + "/bias", node, 2, false);
        }
    }

    private void matMul(NodeProto node) {
        Tensor b = constant(node, 1);
        if (b.dims().length != 2) {
            throw unsupported(node, "a right operand of shape " + Arrays.toString(b.dims()));
        }
        String name = name(node);
        add(node, new Layer.Dense(name, in(node, 0), (int) b.dims()[1], false, Function.LINEAR));
        weights.put(name + "/weight", transpose(b));
        bind(name + "/weight", node, 1, true);
    }

    /** A sum of two layers, or the bias of a MatMul (an Add of a constant). */
    private void addNode(NodeProto node) {
        int constantInput = constants.containsKey(node.getInput(1)) ? 1 : constants.containsKey(node.getInput(0)) ? 0 : -1;
        if (constantInput < 0) {
            List<String> inputs = List.of(in(node, 0), in(node, 1));
            add(node, new Layer.Add(name(node), inputs));
            return;
        }
        String dense = in(node, 1 - constantInput);
        int index = indexOf(dense);
        if (index < 0 || !(layers.get(index) instanceof Layer.Dense d) || d.bias()) {
            throw unsupported(node, "a constant added to '" + dense + "' (only as the bias of a MatMul)");
        }
        Layer.Dense withBias = new Layer.Dense(d.name(), d.input(), d.units(), true, d.activation());
        layers.set(index, withBias);
        weights.put(d.name() + "/bias", constants.get(node.getInput(constantInput)).values());
        bind(d.name() + "/bias", node, constantInput, false);
        producers.put(node.getOutput(0), d.name());
    }

    private void batchNorm(NodeProto node) {
        if (node.getOutputCount() > 1 || intAttribute(node, "training_mode", 0) != 0) {
            throw unsupported(node, "training mode");
        }
        String name = name(node);
        add(node, new Layer.BatchNorm(name, in(node, 0), floatAttribute(node, "epsilon", 1e-5f),
                floatAttribute(node, "momentum", 0.9f)));
        String[] params = {"gamma", "beta", "runningMean", "runningVar"};
        for (int i = 0; i < params.length; i++) {
            weights.put(name + "/" + params[i], constant(node, i + 1).values());
            bind(name + "/" + params[i], node, i + 1, false);
        }
    }

    private void pad(NodeProto node) {
        String mode = node.getAttributeList().stream().filter(a -> a.getName().equals("mode"))
                .map(a -> a.getS().toStringUtf8()).findFirst().orElse("constant");
        if (!mode.equals("constant") || node.getInputCount() > 2 && !node.getInput(2).isEmpty()
                && constant(node, 2).values()[0] != 0) {
            throw unsupported(node, "a mode or value other than constant zeros");
        }
        long[] p = longs(constant(node, 1));
        if (p.length != 8 || p[0] != 0 || p[1] != 0 || p[4] != 0 || p[5] != 0) {
            throw unsupported(node, "pads " + Arrays.toString(p) + " (only of the spatial axes of a map)");
        }
        Padding padding = Padding.of((int) p[2], (int) p[3], (int) p[6], (int) p[7]);
        if (padding.none()) {
            producers.put(node.getOutput(0), in(node, 0));
        } else {
            add(node, new Layer.ZeroPad(name(node), in(node, 0), padding));
        }
    }

    private Padding padding(NodeProto node) {
        String auto = node.getAttributeList().stream().filter(a -> a.getName().equals("auto_pad"))
                .map(a -> a.getS().toStringUtf8()).findFirst().orElse("NOTSET");
        switch (auto) {
            case "SAME_UPPER":
                return Padding.SAME;
            case "VALID":
                return Padding.VALID;
            case "NOTSET":
                break;
            default:
                throw unsupported(node, "auto_pad " + auto);
        }
        List<Long> pads = ints(node, "pads");
        if (pads.isEmpty()) {
            return Padding.VALID;
        }
        if (pads.size() != 4) {
            throw unsupported(node, "pads " + pads);
        }
        return Padding.of(pads.get(0).intValue(), pads.get(1).intValue(), pads.get(2).intValue(), pads.get(3).intValue());
    }

    private void bind(String weight, NodeProto node, int input, boolean transposed) {
        bindings.put(weight, new Binding(nodeIndex.get(node), input, node.getInput(input), transposed));
    }

    private void alias(NodeProto node) {
        String source = node.getInput(0);
        if (constants.containsKey(source)) {
            constants.put(node.getOutput(0), constants.get(source));
        } else {
            producers.put(node.getOutput(0), in(node, 0));
        }
    }

    private void add(NodeProto node, Layer layer) {
        layers.add(layer);
        producers.put(node.getOutput(0), layer.name());
    }

    private String name(NodeProto node) {
        return names.get(node.getOutput(0));
    }

    /** The layer whose output is input {@code i} of {@code node}. */
    private String in(NodeProto node, int i) {
        String tensor = node.getInput(i);
        String layer = producers.get(tensor);
        if (layer == null) {
            throw new ModelFormatException(file + ": node '" + node.getName() + "' (" + node.getOpType() + ") reads '"
                    + tensor + "', which is " + (constants.containsKey(tensor) ? "a constant; only weights may be constants"
                    : "not computed before it"));
        }
        return layer;
    }

    private Tensor constant(NodeProto node, int i) {
        Tensor t = i < node.getInputCount() ? constants.get(node.getInput(i)) : null;
        if (t == null) {
            throw unsupported(node, "input " + i + " that is not a constant");
        }
        return t;
    }

    private int indexOf(String layer) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).name().equals(layer)) {
                return i;
            }
        }
        return -1;
    }

    private void single(NodeProto node) {
        if (node.getOutputCount() > 1 && !node.getOutput(1).isEmpty()) {
            throw unsupported(node, "a second output");
        }
    }

    private void requireOnes(NodeProto node, String attribute) {
        if (ints(node, attribute).stream().anyMatch(d -> d != 1)) {
            throw unsupported(node, attribute + " " + ints(node, attribute));
        }
    }

    private int[] pair(NodeProto node, String attribute) {
        List<Long> values = ints(node, attribute);
        return values.isEmpty() ? new int[] {1, 1} : new int[] {values.get(0).intValue(), values.get(1).intValue()};
    }

    private ModelFormatException unsupported(NodeProto node, String what) {
        return new ModelFormatException(file + ": node '" + node.getName() + "' (" + node.getOpType() + ") has "
                + what + ", which is not supported");
    }

    private static AttributeProto attribute(NodeProto node, String name) {
        return node.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst().orElse(null);
    }

    private static long intAttribute(NodeProto node, String name, long otherwise) {
        AttributeProto a = attribute(node, name);
        return a == null ? otherwise : a.getI();
    }

    private static float floatAttribute(NodeProto node, String name, float otherwise) {
        AttributeProto a = attribute(node, name);
        return a == null ? otherwise : a.getF();
    }

    private static List<Long> ints(NodeProto node, String name) {
        AttributeProto a = attribute(node, name);
        return a == null ? List.of() : a.getIntsList();
    }

    private static float[] transpose(Tensor t) {
        int rows = (int) t.dims()[0];
        int columns = (int) t.dims()[1];
        float[] out = new float[rows * columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                out[c * rows + r] = t.values()[r * columns + c];
            }
        }
        return out;
    }

    private static long[] longs(Tensor t) {
        long[] out = new long[t.values().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (long) t.values()[i];
        }
        return out;
    }

    /** The values of a float, double or integer tensor as floats (integers are small: shapes, pads). */
    private Tensor tensor(String name, TensorProto t) {
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long size = 1;
        for (long d : dims) {
            size *= d;
        }
        float[] values = new float[(int) size];
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        boolean hasRaw = !t.getRawData().isEmpty();
        switch (t.getDataType()) {
            case 1 -> { // FLOAT
                for (int i = 0; i < values.length; i++) {
                    values[i] = hasRaw ? raw.getFloat() : t.getFloatData(i);
                }
            }
            case 11 -> { // DOUBLE
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (hasRaw ? raw.getDouble() : t.getDoubleData(i));
                }
            }
            case 7 -> { // INT64
                for (int i = 0; i < values.length; i++) {
                    values[i] = hasRaw ? raw.getLong() : t.getInt64Data(i);
                }
            }
            default -> throw new ModelFormatException(file + ": tensor '" + name + "' has ONNX data type "
                    + t.getDataType() + "; float, double and int64 are supported");
        }
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw new ModelFormatException(file + ": tensor '" + name + "' holds " + v + "; weights must be finite");
            }
        }
        return new Tensor(dims, values);
    }
}
