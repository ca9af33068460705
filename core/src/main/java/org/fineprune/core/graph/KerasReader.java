package org.fineprune.core.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Group;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.fineprune.core.ImageShape;
import org.fineprune.core.KerasHdf5;
import org.fineprune.core.KerasLayout;
import org.fineprune.core.LayerSpec;
import org.fineprune.core.LayerWeights;
import org.fineprune.core.ModelFormatException;
import org.fineprune.core.graph.Layer.FlattenOrder;
import org.fineprune.core.graph.Layer.Function;
import org.fineprune.core.graph.Layer.Padding;
import org.fineprune.core.graph.Layer.PoolKind;

/**
 * Reads a Keras 2.x model (channels last) into a {@link GraphModel}: a full-model file ({@code
 * model.save}: the {@code model_config} attribute and {@code model_weights/}), or a weights file
 * ({@code save_weights}, or a full-model file) with the architecture of {@code model.to_json()}.
 *
 * <p>Sequential and functional models with one image input and one output. Supported layers:
 * InputLayer, Conv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D,
 * Dense, Flatten, Add, Concatenate (channels), Activation, ReLU, Softmax, Dropout,
 * BatchNormalization and ZeroPadding2D; activations linear, relu, sigmoid, tanh and softmax. Any
 * other layer class or setting is refused naming the layer. Weights are converted to the engine's
 * layout ({@link KerasLayout}); a final softmax is left out, the graph gives logits. The file is
 * read through {@link KerasHdf5}, with the checks of a crafted header that every HDF5 input gets.
 */
public final class KerasReader {
    private static final Set<String> SUPPORTED = Set.of("InputLayer", "Conv2D", "MaxPooling2D", "AveragePooling2D",
            "GlobalAveragePooling2D", "GlobalMaxPooling2D", "Dense", "Flatten", "Add", "Concatenate", "Activation",
            "ReLU", "Softmax", "Dropout", "BatchNormalization", "ZeroPadding2D");

    private final Path file;
    private final HdfFile hdf;
    private final List<Layer> layers = new ArrayList<>();
    private ImageShape input;

    private KerasReader(Path file, HdfFile hdf) {
        this.file = file;
        this.hdf = hdf;
    }

    /**
     * Whether {@code file} is HDF5 with a {@code model_config} attribute: a full Keras model file.
     *
     * @throws ModelFormatException if the file is not a readable HDF5 file
     */
    public static boolean hasModelConfig(Path file) {
        return KerasHdf5.read(file, hdf -> hdf.getAttribute("model_config") != null);
    }

    /**
     * Reads the full Keras model file {@code file}.
     *
     * @throws ModelFormatException if the file is not HDF5, has no {@code model_config}, or holds a
     *     layer or weight that is not supported or does not fit
     */
    public static GraphModel read(Path file) {
        return KerasHdf5.read(file, hdf -> {
            Attribute config = hdf.getAttribute("model_config");
            if (config == null) {
                throw new ModelFormatException(file + ": no model_config; a weights-only file needs an architecture"
                        + " (--architecture FILE, the JSON of model.to_json())");
            }
            return new KerasReader(file, hdf).read(json(file, text(config.getData())));
        });
    }

    /**
     * Reads the weights in {@code file} (weights-only or full model) for the architecture in {@code
     * architecture}, the JSON of {@code model.to_json()}.
     *
     * @throws ModelFormatException if a file cannot be read, or the weights do not match the
     *     architecture (naming the layer)
     * @throws IOException if the architecture file cannot be read
     */
    public static GraphModel read(Path file, Path architecture) throws IOException {
        JsonNode config = json(architecture, Files.readString(architecture));
        return KerasHdf5.read(file, hdf -> new KerasReader(file, hdf).read(config));
    }

    private static JsonNode json(Path source, String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new ModelFormatException(source + ": the model configuration is not JSON (" + e.getMessage() + ")", e);
        }
    }

    private static String text(Object data) {
        return data instanceof String s ? s : data instanceof String[] a && a.length == 1 ? a[0] : String.valueOf(data);
    }

    private GraphModel read(JsonNode model) {
        try {
            return convert(model);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": " + e.getMessage(), e);
        }
    }

    private GraphModel convert(JsonNode model) {
        String className = model.path("class_name").asText();
        JsonNode config = model.path("config");
        String output;
        if (className.equals("Sequential")) {
            output = sequential(config.isArray() ? config : config.path("layers"));
        } else if (className.equals("Model") || className.equals("Functional")) {
            output = functional(config);
        } else {
            throw new ModelFormatException(file + ": model class '" + className + "' is not supported; supported: Sequential,"
                    + " Model, Functional");
        }
        String name = config.isObject() && config.has("name") ? config.get("name").asText() : file.getFileName().toString();
        if (input == null) {
            throw new ModelFormatException(file + ": the model has no input layer");
        }
        LayerGraph graph = LayerGraph.toLogits(name, input, layers, output);
        return new GraphModel(graph, weights(graph));
    }

    private String sequential(JsonNode list) {
        String previous = null;
        for (JsonNode layer : list) {
            JsonNode config = layer.path("config");
            if (previous == null) {
                JsonNode shape = config.path("batch_input_shape");
                input = imageShape(config.path("name").asText(), shape);
                layers.add(new Layer.Input(LayerGraph.INPUT));
                previous = LayerGraph.INPUT;
                if (layer.path("class_name").asText().equals("InputLayer")) {
                    continue;
                }
            }
            previous = layer(layer, List.of(previous));
        }
        return previous;
    }

    private String functional(JsonNode config) {
        if (config.path("input_layers").size() != 1 || config.path("output_layers").size() != 1) {
            throw new ModelFormatException(file + ": the model has " + config.path("input_layers").size() + " inputs and "
                    + config.path("output_layers").size() + " outputs; one of each is supported");
        }
        String inputName = config.path("input_layers").get(0).get(0).asText();
        for (JsonNode layer : config.path("layers")) {
            JsonNode nodes = layer.path("inbound_nodes");
            if (nodes.size() > 1) {
                throw new ModelFormatException(file + ": layer '" + layer.path("name").asText()
                        + "' is used " + nodes.size() + " times; shared layers are not supported");
            }
            List<String> inputs = new ArrayList<>();
            if (nodes.size() == 1) {
                for (JsonNode in : nodes.get(0)) {
                    inputs.add(in.get(0).asText().equals(inputName) ? LayerGraph.INPUT : in.get(0).asText());
                }
            }
            if (layer.path("class_name").asText().equals("InputLayer")) {
                input = imageShape(inputName, layer.path("config").path("batch_input_shape"));
                layers.add(new Layer.Input(LayerGraph.INPUT));
            } else {
                layer(layer, inputs);
            }
        }
        String output = config.path("output_layers").get(0).get(0).asText();
        return output.equals(inputName) ? LayerGraph.INPUT : output;
    }

    private ImageShape imageShape(String name, JsonNode shape) {
        if (shape.size() != 4 || !shape.get(1).isInt() || !shape.get(2).isInt() || !shape.get(3).isInt()) {
            throw new ModelFormatException(file + ": input '" + name + "' has shape " + shape
                    + "; an image (batch, height, width, channels) of fixed size is supported");
        }
        return new ImageShape(shape.get(3).asInt(), shape.get(1).asInt(), shape.get(2).asInt());
    }

    /** Adds the layer described by {@code layer}, reading {@code inputs}, and returns its name. */
    private String layer(JsonNode layer, List<String> inputs) {
        String type = layer.path("class_name").asText();
        JsonNode c = layer.path("config");
        String name = c.path("name").asText();
        if (!SUPPORTED.contains(type)) {
            throw new ModelFormatException(file + ": layer '" + name + "' (" + type + ") is not supported; supported: "
                    + new TreeSet<>(SUPPORTED));
        }
        if (c.has("data_format") && !c.get("data_format").asText().equals("channels_last")) {
            throw unsupported(name, type, "data_format " + c.get("data_format").asText());
        }
        if (!type.equals("Add") && !type.equals("Concatenate") && inputs.size() != 1) {
            throw unsupported(name, type, inputs.size() + " inputs");
        }
        String in = inputs.isEmpty() ? null : inputs.get(0);
        Layer result = switch (type) {
            case "Conv2D" -> {
                if (ints(c, "dilation_rate", 1)[0] != 1 || ints(c, "dilation_rate", 1)[1] != 1
                        || c.path("groups").asInt(1) != 1) {
                    throw unsupported(name, type, "dilation or groups");
                }
                int[] k = ints(c, "kernel_size", 1);
                int[] s = ints(c, "strides", 1);
                yield new Layer.Conv(name, in, c.path("filters").asInt(), k[0], k[1], s[0], s[1], padding(name, type, c),
                        c.path("use_bias").asBoolean(true), activation(name, type, c.path("activation").asText("linear")));
            }
            case "MaxPooling2D", "AveragePooling2D" -> {
                int[] k = ints(c, "pool_size", 2);
                int[] s = c.path("strides").isNull() || c.path("strides").isMissingNode() ? k : ints(c, "strides", 1);
                yield new Layer.Pool(name, in, type.startsWith("Max") ? PoolKind.MAX : PoolKind.AVERAGE, k[0], k[1], s[0],
                        s[1], padding(name, type, c));
            }
            case "GlobalAveragePooling2D", "GlobalMaxPooling2D" -> new Layer.GlobalPool(name, in,
                    type.contains("Max") ? PoolKind.MAX : PoolKind.AVERAGE, c.path("keepdims").asBoolean(false));
            case "Dense" -> new Layer.Dense(name, in, c.path("units").asInt(), c.path("use_bias").asBoolean(true),
                    activation(name, type, c.path("activation").asText("linear")));
            case "Flatten" -> new Layer.Flatten(name, in, FlattenOrder.HWC);
            case "Add" -> new Layer.Add(name, inputs);
            case "Concatenate" -> {
                int axis = c.path("axis").asInt(-1);
                if (axis != -1 && axis != 3) {
                    throw unsupported(name, type, "axis " + axis + " (only the channels, -1)");
                }
                yield new Layer.Concat(name, inputs);
            }
            case "Activation" -> new Layer.Activation(name, in, activation(name, type, c.path("activation").asText()));
            case "ReLU" -> {
                if (!c.path("max_value").isNull() && !c.path("max_value").isMissingNode()
                        || c.path("negative_slope").asDouble(0) != 0 || c.path("threshold").asDouble(0) != 0) {
                    throw unsupported(name, type, "max_value, negative_slope or threshold");
                }
                yield new Layer.Activation(name, in, Function.RELU);
            }
            case "Softmax" -> {
                if (c.path("axis").asInt(-1) != -1) {
                    throw unsupported(name, type, "axis " + c.path("axis"));
                }
                yield new Layer.Activation(name, in, Function.SOFTMAX);
            }
            case "Dropout" -> new Layer.Dropout(name, in, (float) c.path("rate").asDouble());
            case "BatchNormalization" -> {
                JsonNode axis = c.path("axis");
                int a = axis.isArray() && axis.size() == 1 ? axis.get(0).asInt() : axis.asInt(-1);
                if (a != -1 && a != 3) {
                    throw unsupported(name, type, "axis " + axis + " (only the channels, -1)");
                }
                yield new Layer.BatchNorm(name, in, (float) c.path("epsilon").asDouble(1e-3),
                        (float) c.path("momentum").asDouble(0.99));
            }
            case "ZeroPadding2D" -> {
                JsonNode p = c.path("padding");
                int[][] amounts = p.isInt() ? new int[][] {{p.asInt(), p.asInt()}, {p.asInt(), p.asInt()}}
                        : p.get(0).isInt() ? new int[][] {{p.get(0).asInt(), p.get(0).asInt()}, {p.get(1).asInt(), p.get(1).asInt()}}
                        : new int[][] {{p.get(0).get(0).asInt(), p.get(0).get(1).asInt()},
                                {p.get(1).get(0).asInt(), p.get(1).get(1).asInt()}};
                yield new Layer.ZeroPad(name, in, Padding.of(amounts[0][0], amounts[1][0], amounts[0][1], amounts[1][1]));
            }
            default -> throw new IllegalStateException(type);
        };
        layers.add(result);
        return name;
    }

    private Padding padding(String name, String type, JsonNode c) {
        String padding = c.path("padding").asText("valid");
        return switch (padding) {
            case "valid" -> Padding.VALID;
            case "same" -> Padding.SAME;
            default -> throw unsupported(name, type, "padding '" + padding + "'");
        };
    }

    private Function activation(String name, String type, String activation) {
        return switch (activation) {
            case "linear" -> Function.LINEAR;
            case "relu" -> Function.RELU;
            case "sigmoid" -> Function.SIGMOID;
            case "tanh" -> Function.TANH;
            case "softmax" -> Function.SOFTMAX;
            default -> throw unsupported(name, type, "activation '" + activation + "'");
        };
    }

    private static int[] ints(JsonNode c, String field, int otherwise) {
        JsonNode v = c.path(field);
        if (v.isInt()) {
            return new int[] {v.asInt(), v.asInt()};
        }
        return v.isArray() && v.size() == 2 ? new int[] {v.get(0).asInt(), v.get(1).asInt()} : new int[] {otherwise, otherwise};
    }

    private ModelFormatException unsupported(String name, String type, String what) {
        return new ModelFormatException(file + ": layer '" + name + "' (" + type + ") has " + what
                + ", which is not supported");
    }

    // ---- weights ----

    /** Every weight of {@code graph} read from the HDF5 file and converted to the engine's layout. */
    private Map<String, float[]> weights(LayerGraph graph) {
        Group root = KerasHdf5.layers(hdf);
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (Layer layer : graph.layers()) {
            if (layer instanceof Layer.Conv || layer instanceof Layer.Dense) {
                List<float[]> w = read(root, graph, layer, 1 + (bias(layer) ? 1 : 0));
                LayerSpec spec = graph.kerasLayout(layer.name());
                weights.put(layer.name() + "/weight", KerasLayout.toDjl(new LayerWeights(spec, w.get(0), null)));
                if (bias(layer)) {
                    weights.put(layer.name() + "/bias", w.get(1));
                }
            } else if (layer instanceof Layer.BatchNorm) {
                readBatchNorm(root, graph, layer, weights);
            }
        }
        return weights;
    }

    private static boolean bias(Layer layer) {
        return layer instanceof Layer.Conv c ? c.bias() : ((Layer.Dense) layer).bias();
    }

    /** gamma and beta where Keras keeps them (scale, center), then the moving mean and variance. */
    private void readBatchNorm(Group root, LayerGraph graph, Layer layer, Map<String, float[]> weights) {
        Group group = KerasHdf5.layer(file, root, layer.name());
        List<String> names = KerasHdf5.weightNames(group);
        int channels = graph.shape(layer.name())[0];
        Map<String, float[]> byRole = new LinkedHashMap<>();
        for (String n : names) {
            byRole.put(KerasHdf5.role(n), KerasHdf5.weight(file, hdf, group, layer.name(), n, new int[] {channels}));
        }
        float[] ones = new float[channels];
        Arrays.fill(ones, 1f);
        weights.put(layer.name() + "/gamma", byRole.getOrDefault("gamma", ones));
        weights.put(layer.name() + "/beta", byRole.getOrDefault("beta", new float[channels]));
        for (String[] pair : new String[][] {{"moving_mean", "runningMean"}, {"moving_variance", "runningVar"}}) {
            float[] values = byRole.get(pair[0]);
            if (values == null) {
                throw new ModelFormatException(file + ": layer '" + layer.name() + "' (BatchNormalization) has no "
                        + pair[0] + " (weights " + names + ")");
            }
            weights.put(layer.name() + "/" + pair[1], values);
        }
    }

    private List<float[]> read(Group root, LayerGraph graph, Layer layer, int count) {
        Group group = KerasHdf5.layer(file, root, layer.name());
        List<String> names = KerasHdf5.weightNames(group);
        if (names.size() != count) {
            throw new ModelFormatException(file + ": layer '" + layer.name() + "' should hold " + (count == 2
                    ? "a kernel and a bias" : "a kernel") + ", found " + names);
        }
        int[] shape = graph.kerasLayout(layer.name()).kernelShape();
        List<float[]> values = new ArrayList<>();
        values.add(KerasHdf5.weight(file, hdf, group, layer.name(), names.get(0), shape));
        if (count == 2) {
            values.add(KerasHdf5.weight(file, hdf, group, layer.name(), names.get(1),
                    new int[] {shape[shape.length - 1]}));
        }
        return values;
    }
}
