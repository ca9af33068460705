package org.fineprune.core;

import java.nio.file.Path;

/**
 * Where a BadNet's weights come from and how it scales its input, before any engine is chosen: the
 * model step of an experiment. {@link BadNet#keras} starts one.
 *
 * @param weights the model file: ONNX, Keras full model, or Keras weights of DeepID (see {@link
 *     BadNet#load(Path, ModelOptions)})
 * @param inputScale divisor applied to raw 0..255 pixels (1 for the lab3 BadNet, 255 for x/255 nets)
 */
public record ModelSource(Path weights, double inputScale) {
    /** Validates the scale. */
    public ModelSource {
        if (weights == null) {
            throw new IllegalArgumentException("a weights file is needed");
        }
        new ModelOptions(inputScale, null, null);
    }

    /** A copy with another input scale. */
    public ModelSource scale(double divisor) {
        return new ModelSource(weights, divisor);
    }

    /** Loads the model on {@code engine} and {@code device}. */
    public BadNet load(String engine, String device) {
        return BadNet.load(weights, new ModelOptions(inputScale, engine, device));
    }
}
