package org.fineprune.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fineprune.core.BadNet;
import org.fineprune.core.StepListener;
import org.fineprune.data.LabDataset;
import org.fineprune.defenses.pruning.MeanActivationPruning;
import org.fineprune.defenses.pruning.PruningConfig;
import org.fineprune.defenses.pruning.PruningCurve;
import org.fineprune.defenses.pruning.RepairEvaluation;
import org.fineprune.defenses.pruning.RepairReport;
import org.fineprune.experiments.report.SweepReport;
import org.fineprune.reproducibility.FileHashes;
import org.fineprune.reproducibility.ResultsLog;

/**
 * Runs the points of an experiment that its run folder does not hold yet, appending one record per
 * point to {@code results.jsonl}. Points that differ only in their drop threshold share one pruning
 * pass: one curve serves every threshold.
 */
final class SweepRunner {
    private final ExperimentPlan plan;
    private final Path runDir;
    private final SweepProgress progress;
    private final boolean writeReport;

    SweepRunner(ExperimentPlan plan, Path runDir, SweepProgress progress) {
        this(plan, runDir, progress, true);
    }

    SweepRunner(ExperimentPlan plan, Path runDir, SweepProgress progress, boolean writeReport) {
        this.plan = plan;
        this.runDir = runDir;
        this.progress = progress;
        this.writeReport = writeReport;
    }

    SweepResult run() throws IOException {
        ResultsLog log = ResultsLog.open(runDir);
        Set<String> recorded = log.points();
        List<SweepPoint> points = plan.points();
        Map<String, String> hashes = hashes();
        int alreadyDone = (int) points.stream().filter(p -> recorded.contains(p.key())).count();
        progress.start(points.size(), alreadyDone);
        int ran = 0;
        for (List<SweepPoint> pass : passes(points)) {
            List<SweepPoint> missing = pass.stream().filter(p -> !recorded.contains(p.key())).toList();
            if (!missing.isEmpty()) {
                runPass(missing, log, hashes);
                ran += missing.size();
                SweepPoint first = missing.get(0);
                progress.finished(missing.size(), first.layer() + " on " + first.engine() + ", seed " + first.seed());
            }
        }
        progress.end();
        if (writeReport) {
            SweepReport.write(runDir);
        }
        return new SweepResult(runDir, log.records(), ran, points.size() - ran);
    }

    private Map<String, String> hashes() throws IOException {
        Map<String, String> hashes = new LinkedHashMap<>();
        hashes.put("weights", FileHashes.sha256(plan.model().weights()));
        hashes.put("valid", FileHashes.sha256(plan.data().valid()));
        hashes.put("test", FileHashes.sha256(plan.data().test()));
        hashes.put("poisoned", FileHashes.sha256(plan.data().poisoned()));
        return hashes;
    }

    /** The points grouped by the pruning pass they share, in run order. */
    private static List<List<SweepPoint>> passes(List<SweepPoint> points) {
        List<List<SweepPoint>> passes = new ArrayList<>();
        for (SweepPoint point : points) {
            passes.stream().filter(p -> p.get(0).sharesPassWith(point)).findFirst()
                    .orElseGet(() -> {
                        List<SweepPoint> pass = new ArrayList<>();
                        passes.add(pass);
                        return pass;
                    })
                    .add(point);
        }
        return passes;
    }

    private void runPass(List<SweepPoint> points, ResultsLog log, Map<String, String> hashes) throws IOException {
        SweepPoint first = points.get(0);
        PruningConfig config = first.layer().equals(plan.defense().layer())
                ? plan.defense() : plan.defense().layer(first.layer());
        config = config.drops(points.stream().map(SweepPoint::drop).toList());
        LabDataset valid = LabDataset.open(plan.data().valid());
        LabDataset test = LabDataset.open(plan.data().test());
        LabDataset poisoned = LabDataset.open(plan.data().poisoned());
        try (BadNet net = plan.model().load(first.engine(), plan.device())) {
            long start = System.nanoTime();
            PruningCurve curve = new MeanActivationPruning(config).sweep(net, valid, StepListener.NONE);
            long swept = System.nanoTime();
            RepairReport report = RepairEvaluation.evaluate(net, config.layer(), curve.select(config.drops(),
                    config.rule()), test, poisoned, config.batchSize());
            Map<String, Object> timings = new LinkedHashMap<>();
            timings.put("sweep_seconds", (swept - start) / 1e9);
            timings.put("evaluation_seconds", (System.nanoTime() - swept) / 1e9);
            for (int i = 0; i < points.size(); i++) {
                log.append(PointRecord.build(plan, points.get(i), config, net, curve, report.original(),
                        report.rows().get(i), hashes, timings));
            }
        }
    }
}
