package org.fineprune.defenses.pruning;

import java.util.Map;

/**
 * The pruned model a multi-layer sweep keeps for one accuracy-drop threshold.
 *
 * @param drop the threshold, in percentage points of validation accuracy
 * @param rule the rule that chose the model
 * @param reached whether any pruning step dropped accuracy by at least {@code drop}
 * @param pruned how many channels are pruned, over all layers
 * @param validAccuracy the model's validation accuracy, in percent
 * @param channels the pruned channels by layer, in pruning order
 */
public record MultiLayerSelection(double drop, SelectionRule rule, boolean reached, int pruned,
        double validAccuracy, Map<String, int[]> channels) {}
