package org.fineprune.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fineprune.core.Architecture;
import org.fineprune.core.BadNet;
import org.fineprune.core.FinepruneException;
import org.fineprune.core.StepListener;
import org.fineprune.data.LabDataset;
import org.fineprune.defenses.pruning.MeanActivationPruning;
import org.fineprune.defenses.pruning.PruningConfig;
import org.fineprune.defenses.pruning.PruningCurve;
import org.fineprune.defenses.pruning.RepairEvaluation;
import org.fineprune.defenses.pruning.RepairReport;
import org.fineprune.reproducibility.FileHashes;
import org.fineprune.reproducibility.RecordComparison;
import org.fineprune.reproducibility.ResultsLog;
import org.fineprune.reproducibility.RunRecord;

/**
 * Runs the points of an experiment that its run folder does not hold yet, appending one record per
 * point to {@code results.jsonl}. Points that differ only in their drop threshold share one pruning
 * pass: one curve serves every threshold.
 */
final class SweepRunner {
    private final ExperimentPlan plan;
    private final Path runDir;
    private final StepListener progress;

    /**
     * @param progress told after each pruning pass how many of the points not yet recorded have run
     */
    SweepRunner(ExperimentPlan plan, Path runDir, StepListener progress) {
        this.plan = plan;
        this.runDir = runDir;
        this.progress = progress;
    }

    SweepResult run() throws IOException {
        // Inputs are checked before the run folder is created.
        Map<String, String> hashes = hashes();
        List<SweepPoint> points = plan.points();
        Architecture architecture = architecture(points);
        ResultsLog log = ResultsLog.open(runDir);
        Set<String> recorded = log.points();
        requireSameExperiment(log, points, hashes, architecture);
        int toRun = (int) points.stream().filter(p -> !recorded.contains(p.key())).count();
        int ran = 0;
        for (List<SweepPoint> pass : passes(points)) {
            List<SweepPoint> missing = pass.stream().filter(p -> !recorded.contains(p.key())).toList();
            if (!missing.isEmpty()) {
                runPass(missing, log, hashes);
                ran += missing.size();
                progress.onStep(ran, toRun);
            }
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

    /**
     * Refuses to resume from records of another experiment: a point is identified by its axis values
     * only, so a run folder reused with other weights, data or settings would otherwise be skipped
     * silently.
     */
    private void requireSameExperiment(ResultsLog log, List<SweepPoint> points, Map<String, String> hashes,
            Architecture architecture) {
        for (RunRecord record : log.records()) {
            for (SweepPoint point : points) {
                if (!point.key().equals(record.point())) {
                    continue;
                }
                RunRecord expected = RunRecord.of(Map.of("point", point.key(),
                        "config", PointRecord.config(plan, point,
                                configFor(point, List.of(point.drop()), architecture)),
                        "hashes", hashes));
                var differences = RecordComparison.compare(record, expected, 0,
                        Set.of("experiment", "environment", "timings", "metrics", "curve", "order", "pruned_channels",
                                "seed"));
                if (!differences.isEmpty()) {
                    var first = differences.get(0);
                    throw new FinepruneException(log.file() + " holds point " + point.key() + " of another experiment ("
                            + first.path() + " is " + first.expected() + " there, " + first.actual() + " here); "
                            + "choose another run folder or move that one away");
                }
            }
        }
    }

    /**
     * The network of the plan's model, after checking that every point's layer is one of its
     * convolutions: a layer of another network is refused before the run folder is made.
     */
    private Architecture architecture(List<SweepPoint> points) {
        Architecture architecture;
        try (BadNet net = plan.model().load(points.get(0).engine(), plan.device())) {
            architecture = net.architecture();
        }
        points.forEach(p -> configFor(p, List.of(p.drop()), architecture));
        return architecture;
    }

    /** The defense settings of the pass that serves {@code point} at the given thresholds on this network. */
    private PruningConfig configFor(SweepPoint point, List<Double> drops, Architecture architecture) {
        PruningConfig config = point.layer().equals(plan.defense().layer())
                ? plan.defense() : plan.defense().layer(point.layer());
        return config.drops(drops).resolve(architecture);
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
        try (BadNet net = plan.model().load(first.engine(), plan.device())) {
            PruningConfig config = configFor(first, points.stream().map(SweepPoint::drop).toList(), net.architecture());
            LabDataset valid = LabDataset.open(plan.data().valid(), net);
            LabDataset test = LabDataset.open(plan.data().test(), net);
            LabDataset poisoned = LabDataset.open(plan.data().poisoned(), net);
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
