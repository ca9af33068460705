package org.fineprune.defenses.finepruning;

import org.fineprune.core.ImageSource;

/**
 * The images a defense comparison uses: clean labelled validation images, the only ones a defense
 * may look at (to rank, to stop pruning and to fine-tune on), and the two test sets it is scored on.
 *
 * @param valid clean labelled validation images
 * @param cleanTest clean test images labelled with their classes
 * @param poisonedTest triggered test images labelled with the attack's target
 */
public record DefenseData(ImageSource valid, ImageSource cleanTest, ImageSource poisonedTest) {
    /** Checks that every set is given and labelled. */
    public DefenseData {
        for (ImageSource source : new ImageSource[] {valid, cleanTest, poisonedTest}) {
            if (source == null) {
                throw new IllegalArgumentException("validation, clean test and poisoned test images are all needed");
            }
            if (!source.labelled()) {
                throw new IllegalArgumentException(source.name() + ": images need labels");
            }
        }
    }
}
