package org.fineprune.defenses.api;

import java.io.IOException;
import java.util.List;
import org.fineprune.core.Architecture;
import org.fineprune.core.BadNet;
import org.fineprune.core.Evaluation;
import org.fineprune.core.ImageSource;
import org.fineprune.core.Representations;

/**
 * What the detectors of poisoned training samples share: the parameters naming the layer whose
 * output represents a sample and the batch size of the forward pass, and the representations of
 * the defender's training set they read.
 */
public final class TrainingSetRepresentations {
    /** {@code layer} (empty: the last hidden layer) and {@code batch-size}. */
    public static final List<Parameter> PARAMETERS = List.of(
            Parameter.text("layer", "", "layer whose output represents a sample; empty: the last hidden layer"),
            Parameter.integer("batch-size", Evaluation.DEFAULT_BATCH, Range.atLeast(1),
                    "images per forward pass over the training set"));

    private TrainingSetRepresentations() {}

    /**
     * The layer {@code settings} name, or the last hidden layer of {@code architecture}.
     *
     * @throws IllegalArgumentException naming the defense and the layers there are, if the network has no such layer
     */
    public static String layer(Defense defense, Architecture architecture, Settings settings) {
        String layer = settings.text("layer");
        if (layer.isEmpty()) {
            return Representations.lastHiddenLayer(architecture);
        }
        if (!architecture.layers().contains(layer)) {
            throw new IllegalArgumentException("defense '" + defense.name() + "': parameter 'layer': no layer '" + layer
                    + "' in " + architecture.name() + "; layers: " + String.join(", ", architecture.layers()));
        }
        return layer;
    }

    /**
     * The representations of the defender's training set at the layer of {@code settings}.
     *
     * @throws IllegalArgumentException if the defender has no training set or the network no such layer
     * @throws IOException if the images cannot be read
     */
    public static Representations of(Defense defense, BadNet net, DefenderData data, Settings settings)
            throws IOException {
        ImageSource training = data.trainingSet().orElseThrow(() -> new IllegalArgumentException("defense '"
                + defense.name() + "' inspects a training set, and the defender has none"));
        return Representations.of(net, training, layer(defense, net.architecture(), settings),
                settings.integer("batch-size"));
    }
}
