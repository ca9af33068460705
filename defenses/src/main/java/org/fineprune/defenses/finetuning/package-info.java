/**
 * Fine-tuning a (pruned) BadNet on clean data, the second half of Fine-Pruning; see {@link
 * org.fineprune.defenses.finetuning.FineTuning}.
 */
package org.fineprune.defenses.finetuning;
