package org.fineprune.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small Keras weight files made by the tests themselves, good and deliberately broken. */
public final class KerasFixtures {
    /** The functional model of the lab's architecture.py, as model.to_json() gives it (Keras 2.3, trimmed). */
    public static final String DEEPID_JSON = """
            {"class_name": "Model", "keras_version": "2.3.1", "backend": "tensorflow", "config": {"name": "model_1",
             "layers": [
              {"name": "input", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 55, 47, 3],
               "dtype": "float32", "sparse": false, "name": "input"}, "inbound_nodes": []},
              %s,
              {"name": "pool_1", "class_name": "MaxPooling2D", "config": {"name": "pool_1", "pool_size": [2, 2],
               "padding": "valid", "strides": [2, 2], "data_format": "channels_last"}, "inbound_nodes": [[["conv_1", 0, 0, {}]]]},
              %s,
              {"name": "pool_2", "class_name": "MaxPooling2D", "config": {"name": "pool_2", "pool_size": [2, 2],
               "padding": "valid", "strides": [2, 2], "data_format": "channels_last"}, "inbound_nodes": [[["conv_2", 0, 0, {}]]]},
              %s,
              {"name": "pool_3", "class_name": "MaxPooling2D", "config": {"name": "pool_3", "pool_size": [2, 2],
               "padding": "valid", "strides": null, "data_format": "channels_last"}, "inbound_nodes": [[["conv_3", 0, 0, {}]]]},
              %s,
              {"name": "flatten_1", "class_name": "Flatten", "config": {"name": "flatten_1", "data_format": "channels_last"},
               "inbound_nodes": [[["pool_3", 0, 0, {}]]]},
              {"name": "flatten_2", "class_name": "Flatten", "config": {"name": "flatten_2", "data_format": "channels_last"},
               "inbound_nodes": [[["conv_4", 0, 0, {}]]]},
              {"name": "fc_1", "class_name": "Dense", "config": {"name": "fc_1", "units": 160, "activation": "linear",
               "use_bias": true}, "inbound_nodes": [[["flatten_1", 0, 0, {}]]]},
              {"name": "fc_2", "class_name": "Dense", "config": {"name": "fc_2", "units": 160, "activation": "linear",
               "use_bias": true}, "inbound_nodes": [[["flatten_2", 0, 0, {}]]]},
              {"name": "add_1", "class_name": "Add", "config": {"name": "add_1"},
               "inbound_nodes": [[["fc_1", 0, 0, {}], ["fc_2", 0, 0, {}]]]},
              {"name": "activation_1", "class_name": "Activation", "config": {"name": "activation_1", "activation": "relu"},
               "inbound_nodes": [[["add_1", 0, 0, {}]]]},
              {"name": "output", "class_name": "Dense", "config": {"name": "output", "units": 1283,
               "activation": "softmax", "use_bias": true}, "inbound_nodes": [[["activation_1", 0, 0, {}]]]}],
             "input_layers": [["input", 0, 0]], "output_layers": [["output", 0, 0]]}}
            """.formatted(conv("conv_1", 20, 4, "input"), conv("conv_2", 40, 3, "pool_1"), conv("conv_3", 60, 3, "pool_2"),
            conv("conv_4", 80, 2, "pool_3"));

    private KerasFixtures() {}

    private static String conv(String name, int filters, int kernel, String input) {
        return """
                {"name": "%s", "class_name": "Conv2D", "config": {"name": "%s", "filters": %d, "kernel_size": [%d, %d],
                 "strides": [1, 1], "padding": "valid", "data_format": "channels_last", "dilation_rate": [1, 1],
                 "activation": "relu", "use_bias": true}, "inbound_nodes": [[["%s", 0, 0, {}]]]}"""
                .formatted(name, name, filters, kernel, kernel, input);
    }

    /** Random DeepID weights in Keras layout, from a fixed seed. */
    public static List<LayerWeights> randomDeepId(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<LayerWeights> layers = new ArrayList<>();
        for (LayerSpec spec : DeepId.WEIGHTED_LAYERS) {
            int fanIn = 1;
            for (int i = 0; i < spec.kernelShape().length - 1; i++) {
                fanIn *= spec.kernelShape()[i];
            }
            float[] kernel = new float[fanIn * spec.outputs()];
            double bound = Math.sqrt(6.0 / fanIn) / 255 * (spec.name().equals("conv_1") ? 1 : 255);
            for (int i = 0; i < kernel.length; i++) {
                kernel[i] = (float) random.nextDouble(-bound, bound);
            }
            float[] bias = new float[spec.outputs()];
            for (int i = 0; i < bias.length; i++) {
                bias[i] = (float) random.nextDouble(-0.1, 0.1);
            }
            layers.add(new LayerWeights(spec, kernel, bias));
        }
        return layers;
    }

    /** Writes {@code layers} to {@code file} in the given layout and returns the file. */
    public static Path write(Path file, List<LayerWeights> layers, KerasWeightsWriter.Layout layout) {
        try {
            KerasWeightsWriter.write(file, layers, layout);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The weights of {@code weightsOnly} rewritten in the full-model layout inside {@code dir}. */
    public static Path asFullModel(Path weightsOnly, Path dir) {
        KerasWeights weights = KerasWeights.read(weightsOnly, DeepId.WEIGHTED_LAYERS);
        List<LayerWeights> layers = DeepId.WEIGHTED_LAYERS.stream().map(l -> weights.layer(l.name())).toList();
        return write(dir.resolve("full_model.h5"), layers, KerasWeightsWriter.Layout.FULL_MODEL);
    }
}
