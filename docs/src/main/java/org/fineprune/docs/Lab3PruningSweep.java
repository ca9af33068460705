package org.fineprune.docs;

import java.io.IOException;
import java.nio.file.Path;
import org.fineprune.core.BadNet;
import org.fineprune.data.LabData;
import org.fineprune.experiments.Experiment;
import org.fineprune.experiments.Sweep;
import org.fineprune.experiments.SweepResult;
import org.fineprune.report.ReportFiles;
import org.fineprune.report.SweepReport;

/**
 * The user guide's sweep: the lab3 BadNet pruned at conv_3 and conv_4, on both engines, over three
 * seeds, every point recorded in {@code results.jsonl} with a report beside it.
 *
 * <p>Run it with the lab's folder and a run folder: {@code Lab3PruningSweep ../shared/csaw runs/lab3}.
 */
public final class Lab3PruningSweep {
    private Lab3PruningSweep() {}

    /** Runs the sweep; {@code args}: the csaw folder (models/, data/) and the run folder. */
    public static void main(String[] args) throws IOException {
        Path csaw = Path.of(args.length > 0 ? args[0] : "../shared/csaw");
        Path runDir = Path.of(args.length > 1 ? args[1] : "runs/lab3");
        Path weights = csaw.resolve("models/bd_weights.h5");
        Path dir = csaw.resolve("data");

        SweepResult result = Experiment.named("lab3-pruning")
                .model(BadNet.keras(weights).scale(1))
                .data(LabData.at(dir))                       // valid / test / poisoned
                .defense("pruning")                          // as `fineprune defenses` lists it
                .sweep(Sweep.over("drop", 2, 4, 10, 30).and("layer", "conv_3", "conv_4")
                        .engines("PyTorch", "MXNet").seeds(1, 2, 3))
                .run(runDir);
        ReportFiles report = SweepReport.write(runDir);

        System.out.printf("%d points run, %d already recorded, report: %s%n", result.ran(), result.skipped(),
                report.report());
    }
}
