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
import org.fineprune.core.graph.GraphModel;
import org.fineprune.core.graph.Layer;
import org.fineprune.core.graph.LayerGraph;

/**
 * Writes the weights of a {@link GraphModel} read from a Keras file back in that file's layout:
 * under {@code model_weights/} with the original {@code model_config} for a full-model file, at the
 * root for a weights-only one, each layer with the weight names Keras gave it, in Keras layout.
 */
final class KerasModelWriter {
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
            LayerGraph graph = model.graph();
            List<String> written = new ArrayList<>();
            for (Layer layer : graph.layers()) {
                if (layer instanceof Layer.Conv || layer instanceof Layer.Dense || layer instanceof Layer.BatchNorm) {
                    writeLayer(root, from, graph, layer, model.weights());
                    written.add(layer.name());
                }
            }
            // Keras matches listed layers with weights to the model's weighted layers, in order;
            // weight-less layers need not be listed (and jhdf cannot write their empty weight_names).
            root.putAttribute("layer_names", written.toArray(String[]::new));
        }
    }

    private static void writeLayer(WritableGroup root, Group from, LayerGraph graph, Layer layer,
            Map<String, float[]> weights) {
        String name = layer.name();
        if (!(from.getChildren().get(name) instanceof Group original)) {
            throw new IllegalStateException("layer '" + name + "' is no longer in the file the model was read from");
        }
        List<String> names = KerasHdf5.weightNames(original);
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
