package org.fineprune.core;

import java.util.List;

/**
 * The outcome of {@link Training#train}: the final weights in Keras layout, and the mean training
 * loss and wall time of each epoch.
 *
 * @param weights the weights, in the order of the architecture's weighted layers
 * @param epochLosses mean loss over each epoch's batches
 * @param epochSeconds wall time of each epoch
 */
public record TrainingRun(List<LayerWeights> weights, double[] epochLosses, double[] epochSeconds) {
    /** Copies the lists. */
    public TrainingRun {
        weights = List.copyOf(weights);
        epochLosses = epochLosses.clone();
        epochSeconds = epochSeconds.clone();
    }
}
