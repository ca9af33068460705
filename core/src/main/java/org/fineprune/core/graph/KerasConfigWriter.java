package org.fineprune.core.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.fineprune.core.ImageShape;
import org.fineprune.core.graph.Layer.Padding;

/**
 * Writes a {@link LayerGraph} as the JSON of a Keras 2.x functional model ({@code model.to_json()},
 * channels last): the {@code model_config} of a full-model file that {@link KerasReader} reads back
 * into the same graph. The same graph always gives the same text.
 *
 * <p>Layers that Keras can express: the input, Conv2D and pools with {@code valid} or {@code same}
 * padding, global pools, Dense, Flatten in Keras' H, W, C order, Add, Concatenate, Activation,
 * Dropout and BatchNormalization.
 */
public final class KerasConfigWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KerasConfigWriter() {}

    /**
     * The model's JSON.
     *
     * @throws IllegalArgumentException naming the layer, for one Keras cannot express (explicit
     *     padding, a C, H, W flatten, a zero padding)
     */
    public static String json(LayerGraph graph) {
        ObjectNode model = JSON.createObjectNode();
        model.put("class_name", "Functional");
        ObjectNode config = model.putObject("config");
        config.put("name", graph.name());
        ArrayNode layers = config.putArray("layers");
        for (Layer layer : graph.layers()) {
            ObjectNode node = layers.addObject();
            node.put("class_name", className(layer));
            node.put("name", layer.name());
            ObjectNode c = node.putObject("config");
            c.put("name", layer.name());
            settings(graph, layer, c);
            ArrayNode inbound = node.putArray("inbound_nodes");
            if (!layer.inputs().isEmpty()) {
                ArrayNode call = inbound.addArray();
                layer.inputs().forEach(in -> call.addArray().add(in).add(0).add(0).addObject());
            }
        }
        config.putArray("input_layers").addArray().add(LayerGraph.INPUT).add(0).add(0);
        config.putArray("output_layers").addArray().add(graph.output()).add(0).add(0);
        model.put("keras_version", "2.3.1");
        model.put("backend", "tensorflow");
        return model.toString();
    }

    private static String className(Layer layer) {
        if (layer instanceof Layer.Input) {
            return "InputLayer";
        } else if (layer instanceof Layer.Conv) {
            return "Conv2D";
        } else if (layer instanceof Layer.Pool p) {
            return p.kind() == Layer.PoolKind.MAX ? "MaxPooling2D" : "AveragePooling2D";
        } else if (layer instanceof Layer.GlobalPool g) {
            return g.kind() == Layer.PoolKind.MAX ? "GlobalMaxPooling2D" : "GlobalAveragePooling2D";
        } else if (layer instanceof Layer.Dense) {
            return "Dense";
        } else if (layer instanceof Layer.Flatten) {
            return "Flatten";
        } else if (layer instanceof Layer.Add) {
            return "Add";
        } else if (layer instanceof Layer.Concat) {
            return "Concatenate";
        } else if (layer instanceof Layer.Activation) {
            return "Activation";
        } else if (layer instanceof Layer.Dropout) {
            return "Dropout";
        } else if (layer instanceof Layer.BatchNorm) {
            return "BatchNormalization";
        }
        throw unsupported(layer, "explicit zero padding");
    }

    private static void settings(LayerGraph graph, Layer layer, ObjectNode c) {
        if (layer instanceof Layer.Input) {
            ImageShape shape = graph.input();
            c.putArray("batch_input_shape").addNull().add(shape.height()).add(shape.width()).add(shape.channels());
        } else if (layer instanceof Layer.Conv conv) {
            c.put("filters", conv.filters());
            c.putArray("kernel_size").add(conv.kernelHeight()).add(conv.kernelWidth());
            c.putArray("strides").add(conv.strideHeight()).add(conv.strideWidth());
            c.put("padding", padding(layer, conv.padding()));
            c.put("data_format", "channels_last");
            c.put("use_bias", conv.bias());
            c.put("activation", function(conv.activation()));
        } else if (layer instanceof Layer.Pool p) {
            c.putArray("pool_size").add(p.kernelHeight()).add(p.kernelWidth());
            c.putArray("strides").add(p.strideHeight()).add(p.strideWidth());
            c.put("padding", padding(layer, p.padding()));
            c.put("data_format", "channels_last");
        } else if (layer instanceof Layer.GlobalPool g) {
            c.put("data_format", "channels_last");
            c.put("keepdims", g.keepDims());
        } else if (layer instanceof Layer.Dense d) {
            c.put("units", d.units());
            c.put("use_bias", d.bias());
            c.put("activation", function(d.activation()));
        } else if (layer instanceof Layer.Flatten f) {
            if (f.order() != Layer.FlattenOrder.HWC) {
                throw unsupported(layer, "a C, H, W flatten");
            }
            c.put("data_format", "channels_last");
        } else if (layer instanceof Layer.Concat) {
            c.put("axis", -1);
        } else if (layer instanceof Layer.Activation a) {
            c.put("activation", function(a.function()));
        } else if (layer instanceof Layer.Dropout d) {
            c.put("rate", d.rate());
        } else if (layer instanceof Layer.BatchNorm b) {
            c.putArray("axis").add(3);
            c.put("epsilon", b.epsilon());
            c.put("momentum", b.momentum());
        }
    }

    private static String padding(Layer layer, Padding padding) {
        if (padding.same()) {
            return "same";
        }
        if (padding.none()) {
            return "valid";
        }
        throw unsupported(layer, "explicit padding");
    }

    private static String function(Layer.Function function) {
        return function.name().toLowerCase(Locale.ROOT);
    }

    private static IllegalArgumentException unsupported(Layer layer, String what) {
        return new IllegalArgumentException(LayerGraph.describe(layer) + " has " + what
                + ", which a Keras model file cannot hold");
    }
}
