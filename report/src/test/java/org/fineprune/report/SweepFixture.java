package org.fineprune.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.fineprune.core.LayerChannel;
import org.fineprune.experiments.FashionMnistSubject;
import org.fineprune.experiments.LabSubject;
import org.fineprune.experiments.PointRecord;
import org.fineprune.experiments.PointRecord.Config;
import org.fineprune.experiments.PointRecord.DefenseConfig;
import org.fineprune.experiments.PointRecord.DetectorScores;
import org.fineprune.experiments.PointRecord.Metrics;
import org.fineprune.experiments.PointRecord.PruningSteps;
import org.fineprune.experiments.PointRecord.Scores;
import org.fineprune.experiments.Records;
import org.fineprune.experiments.Subject;
import org.fineprune.reproducibility.ResultsLog;

/**
 * Made-up but plausible point records (schema: {@code docs/run-records.md}), built in the test and
 * written as a sweep writes them: a pruning defense whose validation accuracy holds until about 70%
 * of a layer's channels are pruned while the attack success rate falls at about 80%, and defenses
 * without pruning steps.
 */
final class SweepFixture {
    static final Subject FASHION = FashionMnistSubject.of(Path.of("data/fashion"), Path.of("target/badnet-cache"));
    static final Subject LAB = new LabSubject("lab/bd_net.h5", 255, "lab/valid.h5", "lab/test.h5", "lab/bd_test.h5");
    static final Map<String, Integer> CHANNELS = Map.of("conv_3", 60, "conv_4", 80);
    static final double BASELINE_VALID = 98.65;

    private SweepFixture() {}

    /** Writes {@code records} into {@code runDir}/results.jsonl, as a sweep does. */
    static void write(Path runDir, List<PointRecord> records) throws IOException {
        ResultsLog log = ResultsLog.open(runDir);
        for (PointRecord r : records) {
            log.append(Records.toRunRecord(r));
        }
    }

    /** Every pruning point of the drops and layers on one engine and seed. */
    static List<PointRecord> pruning(Subject subject, List<Integer> drops, List<String> layers, String engine,
            long seed) {
        List<PointRecord> records = new ArrayList<>();
        for (String layer : layers) {
            for (int drop : drops) {
                records.add(pruning(subject, drop, layer, engine, seed));
            }
        }
        return records;
    }

    /**
     * One point of the pruning defense swept over drop and layer: it keeps the first model that loses
     * {@code drop} points of validation accuracy.
     */
    static PointRecord pruning(Subject subject, int drop, String layer, String engine, long seed) {
        int channels = CHANNELS.get(layer);
        List<Double> valid = new ArrayList<>();
        List<Double> attack = new ArrayList<>();
        List<LayerChannel> order = new ArrayList<>();
        int kept = channels;
        for (int k = 1; k <= channels; k++) {
            double start = 0.7 * channels + seed;
            double loss = k <= start ? 0.3 * k / channels : 0.3 * start / channels + 1.5 * (Math.exp((k - start) / 6) - 1);
            valid.add(round(Math.max(0.1, BASELINE_VALID - loss)));
            attack.add(k < 0.8 * channels ? 99.9 : round(Math.max(0, 99.9 - 20 * (k - 0.8 * channels))));
            order.add(new LayerChannel(layer, channels - k));
            if (kept == channels && BASELINE_VALID - valid.get(k - 1) >= drop) {
                kept = k;
            }
        }
        Map<String, Object> diagnostics = new TreeMap<>();
        diagnostics.put("prunedChannels", Map.of(layer, order.subList(0, kept).stream()
                .map(LayerChannel::channel).toList()));
        diagnostics.put("baselineValidAccuracy", BASELINE_VALID);
        diagnostics.put("validAccuracy", valid.get(kept - 1));
        diagnostics.put("validAccuracies", valid);
        diagnostics.put("reached", kept < channels);
        diagnostics.put("layer", layer);
        Scores repaired = new Scores(valid.get(kept - 1), round(97 - drop / 2.0 + seed / 10.0), attack.get(kept - 1),
                subject instanceof LabSubject ? null : round(60 + drop));
        return record(subject, "pruning", settings("drop", drop, "layer", layer, "rule", "first-over"),
                List.of("drop", "layer"), engine, seed, repaired, diagnostics, new PruningSteps(order, attack));
    }

    /** A point of a defense that makes a repaired model, no pruning steps and no diagnostics. */
    static PointRecord other(Subject subject, String defense, Map<String, Object> settings, List<String> axes,
            String engine, long seed, Scores repaired) {
        return record(subject, defense, settings, axes, engine, seed, repaired, Map.of(), null);
    }

    /** A point of a defense that makes an input detector only, taking {@code secondsPer1000} per 1,000 inputs. */
    static PointRecord detectorOnly(Subject subject, String defense, String engine, long seed, DetectorScores detector,
            double secondsPer1000) {
        PointRecord r = record(subject, defense, Map.of(), List.of(), engine, seed, null, Map.of(), null);
        return new PointRecord(r.schema(), r.experiment(), r.point(), r.seed(), r.config(), r.environment(), r.hashes(),
                new Metrics(r.metrics().badnet(), null, detector), r.diagnostics(), null,
                Map.of("defense_seconds", 5.0, "evaluation_seconds", 2.0, "detector_seconds_per_1000", secondsPer1000));
    }

    /** A point record: the BadNet's scores fixed, a detector scored where there is a repaired model. */
    static PointRecord record(Subject subject, String defense, Map<String, Object> settings, List<String> axes,
            String engine, long seed, Scores repaired, Map<String, Object> diagnostics, PruningSteps steps) {
        Map<String, String> key = new TreeMap<>();
        key.put("defense", defense);
        key.put("engine", engine);
        key.put("seed", Long.toString(seed));
        axes.forEach(axis -> key.put(axis, Text.value(settings.get(axis))));
        String point = key.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
        boolean lab = subject instanceof LabSubject;
        Scores badnet = new Scores(BASELINE_VALID, 98.62, 100.0, lab ? null : 0.4);
        DetectorScores detector = repaired == null ? null
                : new DetectorScores(round(repaired.cleanAccuracy() - 1), 0.5, 2.0, round(100 - repaired.attackSuccessRate()),
                        0.9);
        return new PointRecord(PointRecord.SCHEMA, "lab3-sweep", point, seed,
                new Config(subject, new DefenseConfig(defense, settings), engine, "cpu"),
                Map.of("java", "17"), Map.of(), new Metrics(badnet, repaired, detector), diagnostics, steps,
                Map.of("defense_seconds", 10.0 + seed, "evaluation_seconds", 2.0));
    }

    /** Settings from name, value pairs, in order. */
    static Map<String, Object> settings(Object... pairs) {
        Map<String, Object> settings = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            settings.put((String) pairs[i], pairs[i + 1]);
        }
        return settings;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
