package org.fineprune.attacks;

import java.nio.file.Path;
import java.util.Objects;
import org.fineprune.core.BadNet;

/**
 * A trained BadNet's weights file, as {@link BadNetTraining#trainOrReuse} leaves it in its cache.
 *
 * @param weights the Keras HDF5 file: {@code save_weights} layout for the small CNN, a full-model
 *     file for any other recipe
 * @param sidecar the JSON file beside it that records how it was made
 * @param key the cache key, the hex digest in both file names
 * @param reused whether the file was already in the cache, so nothing was trained
 */
public record TrainedBadNet(Path weights, Path sidecar, String key, boolean reused) {
    /** Checks that the paths and key are given. */
    public TrainedBadNet {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(sidecar, "sidecar");
        Objects.requireNonNull(key, "key");
    }

    /**
     * The BadNet in the weights file, on the CPU of {@code engine} ({@link BadNetTraining#load}).
     *
     * @throws org.fineprune.core.ModelFormatException if the file no longer holds it
     */
    public BadNet load(String engine) {
        return BadNetTraining.load(weights, engine);
    }
}
