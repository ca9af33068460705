/**
 * Run records from which an experiment can be replayed: one canonical JSON line per sweep point in
 * an append-only {@code results.jsonl} ({@link org.fineprune.reproducibility.ResultsLog}), the
 * SHA-256 of the files a run read, a description of the machine and commit it ran on, and a
 * comparison of a recorded point with its replay.
 *
 * <p>The module knows nothing of pruning: callers build each record's tree of maps, lists, strings,
 * numbers and booleans themselves. The record format is described in {@code docs/run-records.md}.
 */
package org.fineprune.reproducibility;
