/**
 * The report of a run folder, for any defense: {@code report.md}, {@code summary.csv} and PNG plots
 * drawn from the point records of {@code results.jsonl} (see {@code docs/run-records.md}), and
 * {@code leaderboard.md} for a run over BadNets of several recipes.
 *
 * <p>The table averages every group of points that differ only in their seed. The pruning figure
 * follows Fine-Pruning (Liu, Dolan-Gavitt and Garg, "Fine-Pruning: Defending Against Backdooring
 * Attacks on Deep Neural Networks", RAID 2018): validation accuracy and attack success rate against
 * the number of channels pruned, with the model each accuracy-drop threshold keeps.
 * {@link org.fineprune.report.SweepReport} is the entry point.
 */
package org.fineprune.report;
