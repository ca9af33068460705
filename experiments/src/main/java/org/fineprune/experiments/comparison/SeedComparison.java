package org.fineprune.experiments.comparison;

import org.fineprune.defenses.finepruning.ComparisonReport;

/**
 * One seed's comparison: the BadNet it ran on and the four defenses' scores.
 *
 * @param seed the seed of the BadNet's training and poisoning (Fashion-MNIST) and of the fine-tuning
 * @param badNet a description of the BadNet, for example its weights file
 * @param report the scores
 */
public record SeedComparison(long seed, String badNet, ComparisonReport report) {}
