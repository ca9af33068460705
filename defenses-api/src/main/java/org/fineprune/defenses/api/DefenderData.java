package org.fineprune.defenses.api;

import java.util.Optional;
import org.fineprune.core.ImageSource;

/**
 * The images a defender holds: clean labelled images, the only ones a defense may design itself on,
 * and, for a defense that inspects one, the (possibly poisoned) training set. Test sets are never
 * given to a defense.
 *
 * <p>The clean images come in two roles. A defense learns and ranks on {@link #clean} (fine-tuning's
 * images, pruning's channel means, a trigger search); every stopping rule, threshold and checkpoint
 * it chooses looks at {@link #selection} (pruning's accuracy drop, STRIP's false-rejection rate) and
 * the validation accuracy it reports is measured there. Under the strict protocol the two are
 * disjoint parts of the defender's clean images; otherwise they are the same object ({@link
 * #heldOut} false), as the lab uses its one validation set for everything.
 *
 * @param clean clean labelled images a defense learns and ranks on (the lab's validation set)
 * @param selection clean labelled images every stopping rule, threshold and reported validation
 *     accuracy uses; {@code clean} itself where nothing is held out
 * @param training the training set, or {@code null} when there is none
 */
public record DefenderData(ImageSource clean, ImageSource selection, ImageSource training) {
    /** Checks that the clean and selection images are given and labelled. */
    public DefenderData {
        requireLabelled(clean, "clean");
        requireLabelled(selection, "selection");
    }

    /** Clean images for every role, and the training set (or {@code null}). */
    public DefenderData(ImageSource clean, ImageSource training) {
        this(clean, clean, training);
    }

    /** Clean images for every role only. */
    public DefenderData(ImageSource clean) {
        this(clean, clean, null);
    }

    private static void requireLabelled(ImageSource images, String role) {
        if (images == null) {
            throw new IllegalArgumentException("a defense needs " + role + " images");
        }
        if (!images.labelled()) {
            throw new IllegalArgumentException(images.name() + ": a defense needs labelled " + role + " images");
        }
    }

    /** Whether the selection images are held out of the images a defense learns on. */
    public boolean heldOut() {
        return selection != clean;
    }

    /** The training set, if the defender has it. */
    public Optional<ImageSource> trainingSet() {
        return Optional.ofNullable(training);
    }
}
