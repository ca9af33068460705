package org.fineprune.core;

import ai.djl.ndarray.NDArray;

/** Sees the output of each named layer during a forward pass; the array is valid only during the call. */
@FunctionalInterface
interface LayerObserver {
    /** Observes nothing. */
    LayerObserver NONE = new LayerObserver() {
        @Override
        public boolean wants(String layer) {
            return false;
        }

        @Override
        public void onOutput(String layer, NDArray output) {}
    };

    /** Whether {@link #onOutput} should be called for {@code layer}; lets the network skip work. */
    default boolean wants(String layer) {
        return true;
    }

    /** Called once per wanted layer with its output for the whole batch. */
    void onOutput(String layer, NDArray output);
}
