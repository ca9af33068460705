/**
 * The report of a sweep's run folder: {@code summary.csv}, {@code report.md} and PNG plots drawn from
 * {@code results.jsonl} (see {@code docs/run-records.md}).
 *
 * <p>The plots follow the figure of Fine-Pruning (Liu, Dolan-Gavitt and Garg, "Fine-Pruning:
 * Defending Against Backdooring Attacks on Deep Neural Networks", RAID 2018): validation accuracy
 * against the number of channels pruned, with the clean accuracy and attack success rate of the
 * model each accuracy-drop threshold keeps. {@link org.fineprune.report.SweepReport} is
 * the entry point.
 */
package org.fineprune.report;
