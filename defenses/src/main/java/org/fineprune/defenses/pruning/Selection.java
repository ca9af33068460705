package org.fineprune.defenses.pruning;

/**
 * The pruned model a sweep keeps for one accuracy-drop threshold.
 *
 * @param drop the threshold, in percentage points of validation accuracy
 * @param rule the rule that chose the model
 * @param reached whether any pruning step dropped accuracy by at least {@code drop}
 * @param pruned how many channels are pruned
 * @param validAccuracy the model's validation accuracy, in percent
 * @param channels the pruned channels, in pruning order
 */
public record Selection(double drop, SelectionRule rule, boolean reached, int pruned, double validAccuracy,
        int[] channels) {}
