package org.fineprune.core;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The output of one layer for every image of a set, with the class the network gives each image
 * and its label: what the training-set detectors (Activation Clustering, Spectral Signatures)
 * inspect. Rows are copies in Java arrays; nothing of the engine escapes.
 *
 * @param layer the layer whose output the rows are, flattened in NCHW (or N, units) order
 * @param rows one row per image, in the set's order
 * @param predicted the class the network gives each image
 * @param labels each image's label, or {@code null} for unlabelled images
 */
public record Representations(String layer, float[][] rows, int[] predicted, int[] labels) {
    /**
     * The layer that feeds the output layer: the network's last hidden representation ({@code
     * fc_1} of the small CNN).
     */
    public static String lastHiddenLayer(Architecture architecture) {
        List<String> inputs = architecture.graph().layer(architecture.graph().output()).inputs();
        return inputs.get(inputs.size() - 1);
    }

    /**
     * Runs {@code net} on {@code images} in batches of {@code batchSize}, keeping {@code layer}'s
     * output and the predicted class of each image.
     *
     * @throws IllegalArgumentException if the network has no layer {@code layer}
     * @throws IOException if the images cannot be read
     */
    public static Representations of(BadNet net, ImageSource images, String layer, int batchSize)
            throws IOException {
        String output = net.architecture().graph().output();
        int n = images.size();
        float[][] rows = new float[n][];
        int[] predicted = new int[n];
        int[] labels = images.labelled() ? new int[n] : null;
        int[] seen = {0};
        images.forEachBatch(batchSize, batch -> {
            var outputs = net.outputs(batch, Set.of(layer, output));
            float[] values = outputs.get(layer);
            float[] logits = outputs.get(output);
            int width = values.length / batch.size();
            int classes = logits.length / batch.size();
            for (int i = 0; i < batch.size(); i++) {
                int k = seen[0] + i;
                rows[k] = Arrays.copyOfRange(values, i * width, (i + 1) * width);
                predicted[k] = argMax(logits, i * classes, classes);
                if (labels != null) {
                    labels[k] = batch.labels()[i];
                }
            }
            seen[0] += batch.size();
        });
        return new Representations(layer, rows, predicted, labels);
    }

    /** The number of images. */
    public int size() {
        return rows.length;
    }

    /** The indices, increasing, of the images of class {@code c} in {@code classes}. */
    public static int[] indicesOf(int[] classes, int c) {
        return IntStream.range(0, classes.length).filter(i -> classes[i] == c).toArray();
    }

    private static int argMax(float[] values, int from, int count) {
        int best = 0;
        for (int j = 1; j < count; j++) {
            if (values[from + j] > values[from + best]) {
                best = j;
            }
        }
        return best;
    }
}
