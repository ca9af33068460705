package org.fineprune.experiments.comparison;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.core.Accuracy;
import org.fineprune.core.Engines;
import org.fineprune.core.TrainingConfig;
import org.fineprune.defenses.finepruning.ComparisonConfig;
import org.fineprune.defenses.finepruning.VariantResult;
import org.fineprune.defenses.pruning.Outcome;
import org.fineprune.reproducibility.Environment;
import org.fineprune.reproducibility.FileHashes;
import org.fineprune.reproducibility.RunRecord;

/**
 * The run record of one seed's comparison, a line of {@code comparison.jsonl}: the settings, the
 * environment, the SHA-256 of the BadNet and of every data file, every defense's pruned channels and
 * scores (robust accuracy null where the true classes of the triggered images are unknown), and the timings (the only part that differs between two runs of the same settings).
 */
public final class ComparisonRecord {
    private ComparisonRecord() {}

    /**
     * The record of {@code run}, made with {@code config}.
     *
     * @throws IOException if a file cannot be read for its hash
     */
    public static RunRecord build(SeedComparison run, ComparisonConfig config) throws IOException {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("experiment", "fine-pruning-comparison");
        record.put("point", "seed=" + run.seed());
        record.put("seed", run.seed());
        record.put("config", config(run, config));
        Map<String, Object> environment = new LinkedHashMap<>(Environment.describe());
        String engine = config.fineTuning().engine();
        environment.put("engine", engine);
        environment.put("engine_version", Engines.get(engine).getVersion());
        record.put("environment", environment);
        Map<String, Object> hashes = new LinkedHashMap<>();
        hashes.put(run.badNet().toString(), FileHashes.sha256(run.badNet()));
        for (Path file : run.dataFiles()) {
            hashes.put(file.toString(), FileHashes.sha256(file));
        }
        record.put("hashes", hashes);
        Map<String, Object> variants = new LinkedHashMap<>();
        Map<String, Object> timings = new LinkedHashMap<>();
        for (VariantResult v : run.report().variants()) {
            variants.put(v.variant().label(), variant(v));
            timings.put(v.variant().label() + "_seconds", v.seconds());
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        Map<String, Object> original = outcome(run.report().original());
        original.put("robust_accuracy", percent(run.report().originalRobust()));
        original.put("valid_accuracy", run.report().originalValidAccuracy());
        metrics.put("badnet", original);
        metrics.put("defenses", variants);
        record.put("metrics", metrics);
        record.put("timings", timings);
        return RunRecord.of(record);
    }

    private static Map<String, Object> config(SeedComparison run, ComparisonConfig config) {
        TrainingConfig t = config.fineTuning();
        Map<String, Object> tuning = new LinkedHashMap<>();
        tuning.put("epochs", t.epochs());
        tuning.put("batch", t.batchSize());
        tuning.put("learning_rate", t.learningRate());
        tuning.put("optimizer", t.optimizer());
        tuning.put("seed", run.seed());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("badnet", run.badNet().toString());
        out.put("data", run.dataFiles().stream().map(Path::toString).toList());
        out.put("drop", config.drop());
        out.put("layers", config.layers());
        out.put("fractions", config.fractions());
        out.put("batch", config.batchSize());
        out.put("fine_tuning", tuning);
        return out;
    }

    private static Map<String, Object> variant(VariantResult v) {
        Map<String, Object> out = outcome(v.repaired());
        out.put("robust_accuracy", percent(v.robust()));
        Map<String, Object> channels = new LinkedHashMap<>();
        v.prunedChannels().forEach((layer, c) -> channels.put(layer, Arrays.stream(c).boxed().toList()));
        out.put("pruned_channels", channels);
        out.put("valid_accuracy", v.validAccuracy());
        Map<String, Object> goodNet = outcome(v.goodNet());
        goodNet.put("poisoned_flagged", percent(v.poisonedFlagged()));
        goodNet.put("clean_flagged", percent(v.cleanFlagged()));
        out.put("goodnet", goodNet);
        return out;
    }

    private static Map<String, Object> outcome(Outcome outcome) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("clean_accuracy", percent(outcome.clean()));
        out.put("attack_success_rate", percent(outcome.attack()));
        return out;
    }

    private static Object percent(Accuracy accuracy) {
        return accuracy.total() == 0 ? null : accuracy.percent();
    }

    /** The files of {@code dir} whose names start with one of {@code stems}, sorted: a data set's files. */
    static List<Path> files(Path dir, List<String> stems) throws IOException {
        try (var entries = java.nio.file.Files.list(dir)) {
            return entries.filter(f -> stems.stream().anyMatch(s -> f.getFileName().toString().startsWith(s)))
                    .filter(java.nio.file.Files::isRegularFile).sorted().toList();
        }
    }
}
