package org.fineprune.core;

/**
 * Receives the output of one named layer, batch by batch, during a forward pass that runs anyway
 * (classification, evaluation, caching); no second pass is needed.
 *
 * <p>Hooks are how defenses read activations: an {@link Activation} reduces on the engine (for
 * example per-channel sums) and hands back Java arrays, so hooks never see an engine's types.
 */
public interface ActivationHook {
    /** The Keras name of the layer to observe, for example {@code pool_3} or {@code conv_4}. */
    String layer();

    /** Called once per batch (or chunk of a batch) with that batch's output of {@link #layer()}. */
    void accept(Activation activation);
}
