package org.fineprune.attacks;

import java.nio.file.Path;
import java.util.Objects;
import org.fineprune.core.SmallCnn;

/**
 * A trained BadNet's weights file, as {@link BadNetTraining#trainOrReuse} leaves it in its cache.
 *
 * @param weights the Keras HDF5 weights file ({@code save_weights} layout) of a {@link SmallCnn}
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
}
