package org.fineprune.core;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Group;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.fineprune.core.graph.GraphModel;
import org.fineprune.core.graph.KerasConfigWriter;
import org.fineprune.core.graph.Layer;
import org.fineprune.core.graph.LayerGraph;

/**
 * Writes the weights of a {@link GraphModel} as Keras HDF5, in Keras layout: in the layout of the
 * Keras file it was read from (under {@code model_weights/} with the original {@code model_config}
 * for a full-model file, at the root for a weights-only one, each layer with the weight names Keras
 * gave it), or as a new full-model file whose {@code model_config} is the graph's ({@link
 * KerasConfigWriter}), which {@link BadNet#load(Path, ModelOptions)} reads back.
 */
public final class KerasModelWriter {
    private KerasModelWriter() {}

    /**
     * Writes {@code model}'s weights to {@code target} in the layout of {@code original}, whole or not
     * at all ({@link AtomicFile}).
     *
     * @throws IOException if {@code target} exists (it is never overwritten) or cannot be written
     * @throws ModelFormatException if {@code original} is no longer a readable HDF5 file
     */
    static void write(Path original, GraphModel model, Path target) throws IOException {
        if (Files.exists(target)) {
            throw new IOException(target + ": already exists; not overwriting it");
        }
        try (HdfFile source = Hdf5Inputs.open(original, "Keras HDF5 file", ModelFormatException::new)) {
            AtomicFile.write(target, temporary -> writeHdf5(source, model, temporary));
        }
    }

    /**
     * Writes {@code model} to {@code target} as a new Keras full-model file, whole or not at all.
     *
     * @throws IOException if {@code target} exists (it is never overwritten) or cannot be written
     * @throws IllegalArgumentException if the graph has a layer a Keras file cannot hold
     */
    public static void write(GraphModel model, Path target) throws IOException {
        if (Files.exists(target)) {
            throw new IOException(target + ": already exists; not overwriting it");
        }
        String config = KerasConfigWriter.json(model.graph());
        AtomicFile.write(target, temporary -> {
            try (WritableHdfFile hdf = HdfFile.write(temporary)) {
                hdf.putAttribute("keras_version", "2.3.1");
                hdf.putAttribute("backend", "tensorflow");
                hdf.putAttribute("model_config", config);
                WritableGroup root = hdf.putGroup(KerasWeights.FULL_MODEL_GROUP);
                root.putAttribute("keras_version", "2.3.1");
                root.putAttribute("backend", "tensorflow");
                writeLayers(root, model, layer -> defaultWeightNames(model.graph(), layer));
            }
        });
    }

    /** The weight names Keras gives a new layer: kernel and bias, or a batch normalisation's four. */
    private static List<String> defaultWeightNames(LayerGraph graph, Layer layer) {
        List<String> roles = layer instanceof Layer.BatchNorm ? List.of("gamma", "beta", "moving_mean", "moving_variance")
                : graph.parameters().containsKey(layer.name() + "/bias") ? List.of("kernel", "bias") : List.of("kernel");
        return roles.stream().map(role -> layer.name() + "/" + role + ":0").toList();
    }

    private static void writeHdf5(HdfFile source, GraphModel model, Path target) {
        try (WritableHdfFile hdf = HdfFile.write(target)) {
            Group from = KerasHdf5.layers(source);
            hdf.putAttribute("keras_version", "2.3.1");
            hdf.putAttribute("backend", "tensorflow");
            WritableGroup root = hdf;
            if (from != source) {
                Attribute config = source.getAttribute("model_config");
                if (config != null) {
                    hdf.putAttribute("model_config", String.valueOf(config.getData()));
                }
                root = hdf.putGroup(KerasWeights.FULL_MODEL_GROUP);
                root.putAttribute("keras_version", "2.3.1");
                root.putAttribute("backend", "tensorflow");
            }
            writeLayers(root, model, layer -> {
                if (!(from.getChildren().get(layer.name()) instanceof Group original)) {
                    throw new IllegalStateException("layer '" + layer.name()
                            + "' is no longer in the file the model was read from");
                }
                return KerasHdf5.weightNames(original);
            });
        }
    }

    /** Writes every weighted layer under {@code root}, each with the weight names {@code names} gives it. */
    private static void writeLayers(WritableGroup root, GraphModel model, Function<Layer, List<String>> names) {
        LayerGraph graph = model.graph();
        List<String> written = new ArrayList<>();
        for (Layer layer : graph.layers()) {
            if (layer instanceof Layer.Conv || layer instanceof Layer.Dense || layer instanceof Layer.BatchNorm) {
                writeLayer(root, graph, layer, names.apply(layer), model.weights());
                written.add(layer.name());
            }
        }
        // Keras matches listed layers with weights to the model's weighted layers, in order;
        // weight-less layers need not be listed (and jhdf cannot write their empty weight_names).
        root.putAttribute("layer_names", written.toArray(String[]::new));
    }

    private static void writeLayer(WritableGroup root, LayerGraph graph, Layer layer, List<String> names,
            Map<String, float[]> weights) {
        String name = layer.name();
        WritableGroup group = root.putGroup(name);
        group.putAttribute("weight_names", names.toArray(String[]::new));
        WritableGroup inner = group.putGroup(name);
        for (String weight : names) {
            inner.putDataset(weight.substring(weight.lastIndexOf('/') + 1), switch (KerasHdf5.role(weight)) {
                case "kernel" -> {
                    LayerSpec spec = graph.kerasLayout(name);
                    yield KerasWeightsWriter.nest(KerasLayout.toKeras(spec, weights.get(name + "/weight")),
                            spec.kernelShape());
                }
                case "bias" -> weights.get(name + "/bias").clone();
                case "gamma" -> weights.get(name + "/gamma").clone();
                case "beta" -> weights.get(name + "/beta").clone();
                case "moving_mean" -> weights.get(name + "/runningMean").clone();
                case "moving_variance" -> weights.get(name + "/runningVar").clone();
                default -> throw new IllegalStateException("layer '" + name + "' has a weight '" + weight
                        + "' Fineprune does not know");
            });
        }
    }
}
