package org.fineprune.experiments;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.core.Accuracy;
import org.fineprune.core.BadNet;
import org.fineprune.core.ModelSource;
import org.fineprune.data.LabData;
import org.fineprune.defenses.pruning.Outcome;
import org.fineprune.defenses.pruning.PruningConfig;
import org.fineprune.defenses.pruning.PruningCurve;
import org.fineprune.defenses.pruning.RepairReport;
import org.fineprune.defenses.pruning.SelectionRule;
import org.fineprune.reproducibility.Environment;
import org.fineprune.reproducibility.RunRecord;

/** Converts between a sweep point's results and its record in {@code results.jsonl} (docs/run-records.md). */
final class PointRecord {
    private PointRecord() {}

    /** The record of {@code point}, whose pass gave {@code curve} and whose threshold gave {@code row}. */
    static RunRecord build(ExperimentPlan plan, SweepPoint point, PruningConfig config, BadNet net, PruningCurve curve,
            Outcome original, RepairReport.Row row, Map<String, String> hashes, Map<String, Object> timings) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("experiment", plan.name());
        record.put("point", point.key());
        record.put("seed", point.seed());
        record.put("config", config(plan, point, config));
        Map<String, Object> environment = new LinkedHashMap<>(Environment.describe());
        environment.put("engine", net.engineName());
        environment.put("engine_version", net.engineVersion());
        environment.put("device", net.device());
        record.put("environment", environment);
        record.put("hashes", hashes);
        record.put("metrics", metrics(curve, original, row));
        record.put("pruned_channels", ints(row.selection().channels()));
        record.put("order", ints(curve.order()));
        record.put("curve", Arrays.stream(curve.accuracies()).boxed().toList());
        record.put("timings", timings);
        return RunRecord.of(record);
    }

    /** The {@code config} field of the record of {@code point}, pruned with {@code config}. */
    static Map<String, Object> config(ExperimentPlan plan, SweepPoint point, PruningConfig config) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("weights", plan.model().weights().toString());
        model.put("scale", plan.model().inputScale());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("valid", plan.data().valid().toString());
        data.put("test", plan.data().test().toString());
        data.put("poisoned", plan.data().poisoned().toString());
        Map<String, Object> defense = new LinkedHashMap<>();
        defense.put("name", "mean-activation-pruning");
        defense.put("layer", config.layer());
        defense.put("ranking_layer", config.rankingLayer());
        defense.put("rule", config.rule().label());
        defense.put("batch", config.batchSize());
        defense.put("drop", point.drop());
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("model", model);
        all.put("data", data);
        all.put("defense", defense);
        all.put("engine", point.engine());
        all.put("device", plan.device());
        return all;
    }

    private static Map<String, Object> metrics(PruningCurve curve, Outcome original, RepairReport.Row row) {
        Map<String, Object> baseline = new LinkedHashMap<>();
        baseline.put("valid_accuracy", curve.baselineAccuracy());
        baseline.put("clean_accuracy", original.clean().percent());
        baseline.put("attack_success_rate", original.attack().percent());
        Map<String, Object> goodnet = scores(row.goodNet());
        goodnet.put("poisoned_flagged", row.poisonedFlagged().percent());
        goodnet.put("clean_flagged", row.cleanFlagged().percent());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("baseline", baseline);
        metrics.put("pruned", row.selection().pruned());
        metrics.put("reached", row.selection().reached());
        metrics.put("valid_accuracy", row.selection().validAccuracy());
        metrics.put("repaired", scores(row.repaired()));
        metrics.put("goodnet", goodnet);
        return metrics;
    }

    private static Map<String, Object> scores(Outcome outcome) {
        Map<String, Object> scores = new LinkedHashMap<>();
        scores.put("clean_accuracy", percent(outcome.clean()));
        scores.put("attack_success_rate", percent(outcome.attack()));
        return scores;
    }

    private static double percent(Accuracy accuracy) {
        return accuracy.percent();
    }

    private static List<Integer> ints(int[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    /** The one-point plan that re-runs {@code record}, from the record alone. */
    static ExperimentPlan plan(RunRecord record) {
        ModelSource model = new ModelSource(Path.of(text(record, "config.model.weights")),
                number(record, "config.model.scale"));
        LabData data = new LabData(Path.of(text(record, "config.data.valid")), Path.of(text(record, "config.data.test")),
                Path.of(text(record, "config.data.poisoned")));
        double drop = number(record, "config.defense.drop");
        PruningConfig defense = new PruningConfig(text(record, "config.defense.layer"),
                text(record, "config.defense.ranking_layer"), List.of(drop),
                SelectionRule.fromLabel(text(record, "config.defense.rule")),
                (int) number(record, "config.defense.batch"), false);
        Sweep sweep = new Sweep(List.of(drop), List.of(defense.layer()), List.of(text(record, "config.engine")),
                List.of((long) number(record, "seed")));
        return new ExperimentPlan(text(record, "experiment"), model, data, defense, sweep,
                text(record, "config.device"));
    }

    /** The files of {@code record} whose SHA-256 it holds, by role (weights, valid, test, poisoned). */
    static Map<String, Path> files(RunRecord record) {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("weights", Path.of(text(record, "config.model.weights")));
        files.put("valid", Path.of(text(record, "config.data.valid")));
        files.put("test", Path.of(text(record, "config.data.test")));
        files.put("poisoned", Path.of(text(record, "config.data.poisoned")));
        return files;
    }

    private static String text(RunRecord record, String path) {
        Object value = record.get(path);
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException("record " + record.point() + ": field " + path + " is missing");
        }
        return s;
    }

    private static double number(RunRecord record, String path) {
        Object value = record.get(path);
        if (!(value instanceof Number n)) {
            throw new IllegalArgumentException("record " + record.point() + ": field " + path + " is missing");
        }
        return n.doubleValue();
    }
}
