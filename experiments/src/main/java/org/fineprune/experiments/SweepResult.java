package org.fineprune.experiments;

import java.nio.file.Path;
import java.util.List;
import org.fineprune.reproducibility.RunRecord;

/**
 * What a sweep left in its run folder.
 *
 * @param runDir the folder holding results.jsonl
 * @param records every record of the run, old and new, in file order
 * @param ran points run by this call
 * @param skipped points already recorded by an earlier call
 */
public record SweepResult(Path runDir, List<RunRecord> records, int ran, int skipped) {}
