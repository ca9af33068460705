/**
 * Fine-Pruning in full: the paper's comparison of fine-tuning, pruning, fine-pruning and
 * multi-layer fine-pruning on one BadNet; see {@link org.fineprune.defenses.finepruning.FinePruning}.
 */
package org.fineprune.defenses.finepruning;
