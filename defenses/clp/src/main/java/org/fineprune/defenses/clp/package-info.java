/**
 * Channel Lipschitzness-based Pruning, a data-free backdoor defense: prune the channels whose
 * Lipschitz upper bound is an outlier in their layer (Zheng, Zhang, Wang, Zhao and Li, "Data-free
 * Backdoor Removal based on Channel Lipschitzness", ECCV 2022); see {@link
 * org.fineprune.defenses.clp.ClpDefense}.
 */
package org.fineprune.defenses.clp;
