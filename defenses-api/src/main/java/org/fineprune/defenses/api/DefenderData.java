package org.fineprune.defenses.api;

import java.util.Optional;
import org.fineprune.core.ImageSource;

/**
 * The images a defender holds: clean labelled images, the only ones a defense may design itself on,
 * and, for a defense that inspects one, the (possibly poisoned) training set. Test sets are never
 * given to a defense.
 *
 * @param clean clean labelled images (the lab's validation set)
 * @param training the training set, or {@code null} when there is none
 */
public record DefenderData(ImageSource clean, ImageSource training) {
    /** Checks that the clean images are given and labelled. */
    public DefenderData {
        if (clean == null) {
            throw new IllegalArgumentException("a defense needs clean images");
        }
        if (!clean.labelled()) {
            throw new IllegalArgumentException(clean.name() + ": a defense needs labelled clean images");
        }
    }

    /** Clean images only. */
    public DefenderData(ImageSource clean) {
        this(clean, null);
    }

    /** The training set, if the defender has it. */
    public Optional<ImageSource> trainingSet() {
        return Optional.ofNullable(training);
    }
}
