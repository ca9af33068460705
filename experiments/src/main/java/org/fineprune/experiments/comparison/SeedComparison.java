package org.fineprune.experiments.comparison;

import java.nio.file.Path;
import java.util.List;
import org.fineprune.defenses.finepruning.ComparisonReport;

/**
 * One seed's comparison: the BadNet it ran on, the data files it read and the four defenses' scores.
 *
 * @param seed the seed of the BadNet's training and poisoning (Fashion-MNIST) and of the fine-tuning
 * @param badNet the BadNet's weights file
 * @param dataFiles the files the images came from, hashed into the run record
 * @param report the scores
 */
public record SeedComparison(long seed, Path badNet, List<Path> dataFiles, ComparisonReport report) {
    /** Copies the list. */
    public SeedComparison {
        dataFiles = List.copyOf(dataFiles);
    }
}
