/**
 * Fine-Pruning (Liu, Dolan-Gavitt and Garg, RAID 2018) as defenses: fine-pruning of one layer and
 * multi-layer fine-pruning. The paper's comparison of these with fine-tuning and pruning alone is a
 * sweep over the defense axis in {@code experiments}.
 */
package org.fineprune.defenses.finepruning;
