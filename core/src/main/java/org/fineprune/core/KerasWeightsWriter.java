package org.fineprune.core;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;


/**
 * Writes weights in Keras' HDF5 layout, so that Keras' {@code load_weights} and {@link KerasWeights}
 * both read them.
 *
 * <p>Each layer is a group with the attribute {@code weight_names} and datasets {@code
 * <layer>/<layer>/kernel:0} and {@code bias:0}; the root (or {@code model_weights/} for the full-model
 * layout) lists the layers in {@code layer_names}.
 */
public final class KerasWeightsWriter {
    /** Where the layers go: at the root, as {@code save_weights} does, or under {@code model_weights/}. */
    public enum Layout {
        /** {@code model.save_weights(...)}: layers at the root. */
        WEIGHTS_ONLY,
        /** {@code model.save(...)}: layers under {@code model_weights/}. */
        FULL_MODEL
    }

    private KerasWeightsWriter() {}

    /**
     * Writes {@code layers} to a new file, whole or not at all ({@link AtomicFile}); an existing file
     * is never overwritten.
     *
     * @param layers the weighted layers in the model's order
     * @throws IOException if {@code file} exists or cannot be written
     */
    public static void write(Path file, Collection<LayerWeights> layers, Layout layout)
            throws IOException {
        if (Files.exists(file)) {
            throw new IOException(file + ": already exists; not overwriting it");
        }
        AtomicFile.write(file, temporary -> writeHdf5(temporary, layers, layout));
    }

    private static void writeHdf5(Path file, Collection<LayerWeights> layers, Layout layout) {
        try (WritableHdfFile hdf = HdfFile.write(file)) {
            WritableGroup root = hdf;
            hdf.putAttribute("keras_version", "2.3.1");
            hdf.putAttribute("backend", "tensorflow");
            if (layout == Layout.FULL_MODEL) {
                root = hdf.putGroup(KerasWeights.FULL_MODEL_GROUP);
                root.putAttribute("keras_version", "2.3.1");
                root.putAttribute("backend", "tensorflow");
            }
            // Keras matches listed layers that have weights to the model's weighted layers, in order;
            // weight-less layers need not be listed (and jhdf cannot write their empty weight_names).
            root.putAttribute("layer_names", layers.stream().map(l -> l.spec().name()).toArray(String[]::new));
            for (LayerWeights layer : layers) {
                String name = layer.spec().name();
                WritableGroup group = root.putGroup(name);
                group.putAttribute("weight_names", new String[] {name + "/kernel:0", name + "/bias:0"});
                WritableGroup inner = group.putGroup(name);
                inner.putDataset("kernel:0", nest(layer.kernel(), layer.spec().kernelShape()));
                inner.putDataset("bias:0", layer.bias().clone());
            }
        }
    }

    /** A flat row-major array as nested Java arrays of the given shape, as jhdf writes them. */
    static Object nest(float[] flat, int[] shape) {
        if (shape.length == 1) {
            return flat.clone();
        }
        Object nested = Array.newInstance(float.class, shape);
        fill(nested, flat, 0, shape, 0);
        return nested;
    }

    private static int fill(Object nested, float[] flat, int offset, int[] shape, int depth) {
        if (depth == shape.length - 1) {
            float[] row = (float[]) nested;
            System.arraycopy(flat, offset, row, 0, row.length);
            return offset + row.length;
        }
        for (int i = 0; i < shape[depth]; i++) {
            offset = fill(Array.get(nested, i), flat, offset, shape, depth + 1);
        }
        return offset;
    }
}
