package org.fineprune.core;

import java.util.Locale;

/**
 * How a model is loaded: the input scaling it expects, the engine and the device it runs on.
 *
 * @param inputScale divisor applied to raw 0..255 pixels before the first layer: 1 for the lab3
 *     BadNet (raw input), 255 for BadNets trained on x/255
 * @param engine DJL engine name, {@code PyTorch} (default) or {@code MXNet}
 * @param device {@code cpu}, {@code gpu} or {@code auto} (GPU when the engine sees one)
 */
public record ModelOptions(double inputScale, String engine, String device) {
    /** The default engine. */
    public static final String DEFAULT_ENGINE = "PyTorch";

    /** Validates the values; a {@code null} engine or device takes the default. */
    public ModelOptions {
        if (!(inputScale > 0) || Double.isInfinite(inputScale)) {
            throw new IllegalArgumentException("input scale must be a positive number, got " + inputScale);
        }
        engine = engine == null ? DEFAULT_ENGINE : engine;
        device = device == null ? "auto" : device.toLowerCase(Locale.ROOT);
        if (!device.equals("cpu") && !device.equals("gpu") && !device.equals("auto")) {
            throw new IllegalArgumentException("device must be cpu, gpu or auto, got '" + device + "'");
        }
    }

    /** Raw input, default engine, GPU if present. */
    public static ModelOptions defaults() {
        return new ModelOptions(1, null, null);
    }

    /** A copy with another input scale. */
    public ModelOptions withInputScale(double scale) {
        return new ModelOptions(scale, engine, device);
    }

    /** A copy with another engine. */
    public ModelOptions withEngine(String engineName) {
        return new ModelOptions(inputScale, engineName, device);
    }

    /** A copy with another device. */
    public ModelOptions withDevice(String deviceName) {
        return new ModelOptions(inputScale, engine, deviceName);
    }
}
