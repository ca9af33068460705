package org.fineprune.data;

import java.nio.file.Path;

/**
 * The three files a pruning experiment reads: clean validation images (the only ones a defense may
 * look at), clean test images and poisoned test images labelled with the attack's target.
 *
 * @param valid clean labelled validation images
 * @param test clean labelled test images
 * @param poisoned poisoned test images
 */
public record LabData(Path valid, Path test, Path poisoned) {
    /** Checks that every file is named. */
    public LabData {
        if (valid == null || test == null || poisoned == null) {
            throw new IllegalArgumentException("valid, test and poisoned files are all needed");
        }
    }

    /** The lab's layout under {@code dir}: {@code cl/valid.h5}, {@code cl/test.h5}, {@code bd/bd_test.h5}. */
    public static LabData at(Path dir) {
        return new LabData(dir.resolve("cl/valid.h5"), dir.resolve("cl/test.h5"), dir.resolve("bd/bd_test.h5"));
    }
}
