package org.fineprune.core;

import ai.djl.ndarray.NDArray;

/** Sees the output of each named layer during a forward pass; the array is valid only during the call. */
@FunctionalInterface
interface LayerObserver {
    /** Observes nothing. */
    LayerObserver NONE = (layer, output) -> {};

    /** Called once per layer with its output for the whole batch. */
    void onOutput(String layer, NDArray output);
}
