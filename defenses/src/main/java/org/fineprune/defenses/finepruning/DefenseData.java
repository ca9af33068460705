package org.fineprune.defenses.finepruning;

import org.fineprune.core.ImageSource;

/**
 * The images a defense comparison uses: clean labelled validation images, the only ones a defense
 * may look at (to rank, to stop pruning and to fine-tune on), and the two test sets it is scored on.
 *
 * @param valid clean labelled validation images
 * @param cleanTest clean test images labelled with their classes
 * @param poisonedTest triggered test images labelled with the attack's target
 * @param triggeredTest the images of {@code poisonedTest} labelled with their true classes, for the
 *     robust accuracy; {@code null} where the true classes are unknown (a lab's {@code bd_test.h5})
 */
public record DefenseData(ImageSource valid, ImageSource cleanTest, ImageSource poisonedTest,
        ImageSource triggeredTest) {
    /** Checks that every set but {@code triggeredTest} is given, and that every given set is labelled. */
    public DefenseData {
        for (ImageSource source : new ImageSource[] {valid, cleanTest, poisonedTest}) {
            if (source == null) {
                throw new IllegalArgumentException("validation, clean test and poisoned test images are all needed");
            }
        }
        for (ImageSource source : new ImageSource[] {valid, cleanTest, poisonedTest, triggeredTest}) {
            if (source != null && !source.labelled()) {
                throw new IllegalArgumentException(source.name() + ": images need labels");
            }
        }
    }

    /** The sets of a poisoned test set whose images' true classes are unknown: no robust accuracy. */
    public DefenseData(ImageSource valid, ImageSource cleanTest, ImageSource poisonedTest) {
        this(valid, cleanTest, poisonedTest, null);
    }
}
