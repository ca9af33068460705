package org.fineprune.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fineprune.experiments.SweepPoint;

/**
 * Made-up but plausible {@code results.jsonl} records (schema: {@code docs/run-records.md}) of the
 * lab3 sweep: validation accuracy holds until about 70% of a layer's channels are pruned, then
 * falls; the attack success rate falls once about 80% are pruned. Thresholds are selected with the
 * {@code first-over} rule, as a sweep would.
 */
final class SweepFixture {
    static final List<Double> DROPS = List.of(2.0, 4.0, 10.0);
    static final List<String> LAYERS = List.of("conv_3", "conv_4");
    static final List<String> ENGINES = List.of("PyTorch", "MXNet");
    static final List<Integer> SEEDS = List.of(1, 2);
    static final Map<String, Integer> CHANNELS = Map.of("conv_3", 60, "conv_4", 80);

    static final double BASELINE_VALID = 98.65;
    static final double BASELINE_CLEAN = 98.62;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SweepFixture() {}

    /** Every combination of drop, layer, engine and seed, in the order a sweep writes them. */
    static List<ObjectNode> records() {
        return records(DROPS, LAYERS, ENGINES, SEEDS);
    }

    /** Every combination of the given axis values. */
    static List<ObjectNode> records(List<Double> drops, List<String> layers, List<String> engines,
            List<Integer> seeds) {
        List<ObjectNode> records = new ArrayList<>();
        for (String layer : layers) {
            for (String engine : engines) {
                for (int seed : seeds) {
                    for (double drop : drops) {
                        records.add(record(layer, engine, drop, seed));
                    }
                }
            }
        }
        return records;
    }

    /** The validation accuracy after each of a layer's pruning steps. */
    static double[] curve(String layer, String engine, int seed) {
        int channels = CHANNELS.getOrDefault(layer, 64);
        double start = 0.7 * channels + (seed - 1);
        double scale = 0.06 * channels;
        double offset = engine.equals("MXNet") ? 0.03 : 0;
        double[] curve = new double[channels];
        for (int k = 1; k <= channels; k++) {
            double drop = k <= start ? 0.3 * k / channels
                    : 0.3 * start / channels + 1.5 * (Math.exp((k - start) / scale) - 1);
            curve[k - 1] = round(Math.max(0.08, BASELINE_VALID - drop - offset));
        }
        return curve;
    }

    /** One record, its metrics following its curve. */
    static ObjectNode record(String layer, String engine, double drop, int seed) {
        double[] curve = curve(layer, engine, seed);
        int channels = curve.length;
        int pruned = channels;
        boolean reached = false;
        for (int k = 1; k <= channels; k++) {
            if (BASELINE_VALID - curve[k - 1] >= drop) {
                pruned = k;
                reached = true;
                break;
            }
        }
        double fraction = (double) pruned / channels;
        double attack = round(100 / (1 + Math.exp((fraction - 0.8) / 0.03)) + (engine.equals("MXNet") ? 0.3 : 0)
                + 0.5 * (seed - 1));
        attack = Math.min(100, attack);
        double clean = round(curve[pruned - 1] - 0.05 - 0.1 * (seed - 1));
        List<Integer> order = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            order.add(c);
        }
        Collections.shuffle(order, new Random(seed * 31L + channels));

        ObjectNode record = JSON.objectNode();
        ObjectNode config = record.putObject("config");
        ObjectNode data = config.putObject("data");
        data.put("poisoned", "../shared/csaw/data/bd/bd_test.h5");
        data.put("test", "../shared/csaw/data/cl/test.h5");
        data.put("valid", "../shared/csaw/data/cl/valid.h5");
        ObjectNode defense = config.putObject("defense");
        defense.put("batch", 256);
        defense.put("drop", drop);
        defense.put("layer", layer);
        defense.put("name", "mean-activation-pruning");
        defense.put("ranking_layer", layer.replace("conv", "pool"));
        defense.put("rule", "first-over");
        config.put("device", "cpu");
        config.put("engine", engine);
        ObjectNode model = config.putObject("model");
        model.put("scale", 1.0);
        model.put("weights", "../shared/csaw/models/bd_weights.h5");
        ArrayNode curveNode = record.putArray("curve");
        for (double accuracy : curve) {
            curveNode.add(accuracy);
        }
        ObjectNode environment = record.putObject("environment");
        environment.put("device", "cpu()");
        environment.put("engine", engine);
        environment.put("engine_version", engine.equals("MXNet") ? "1.9.1" : "2.7.1");
        environment.putNull("git_commit");
        environment.put("java", "17.0.15");
        environment.put("os", "Linux 6.18 amd64");
        environment.put("fineprune", "0.1.0-SNAPSHOT");
        record.put("experiment", "lab3-pruning");
        ObjectNode hashes = record.putObject("hashes");
        for (String name : List.of("poisoned", "test", "valid", "weights")) {
            hashes.put(name, "0".repeat(63) + name.length());
        }
        ObjectNode metrics = record.putObject("metrics");
        ObjectNode baseline = metrics.putObject("baseline");
        baseline.put("attack_success_rate", 100.0);
        baseline.put("clean_accuracy", BASELINE_CLEAN);
        baseline.put("valid_accuracy", BASELINE_VALID);
        ObjectNode goodnet = metrics.putObject("goodnet");
        goodnet.put("attack_success_rate", round(attack * 0.98));
        goodnet.put("clean_accuracy", round(clean - 1.2));
        goodnet.put("clean_flagged", round(BASELINE_CLEAN - clean + 1.2));
        goodnet.put("poisoned_flagged", round(100 - attack * 0.98));
        metrics.put("pruned", pruned);
        metrics.put("reached", reached);
        ObjectNode repaired = metrics.putObject("repaired");
        repaired.put("attack_success_rate", attack);
        repaired.put("clean_accuracy", clean);
        metrics.put("valid_accuracy", curve[pruned - 1]);
        ArrayNode orderNode = record.putArray("order");
        order.forEach(orderNode::add);
        record.put("point", "drop=" + SweepPoint.number(drop) + ",engine=" + engine + ",layer=" + layer + ",seed=" + seed);
        ArrayNode prunedChannels = record.putArray("pruned_channels");
        order.subList(0, pruned).forEach(prunedChannels::add);
        record.put("seed", seed);
        ObjectNode timings = record.putObject("timings");
        timings.put("evaluation_seconds", 0.4);
        timings.put("sweep_seconds", 1.2);
        return record;
    }

    /** Writes {@code records} as {@code runDir}/results.jsonl, one JSON object a line. */
    static Path write(Path runDir, List<ObjectNode> records) throws IOException {
        Files.createDirectories(runDir);
        StringBuilder lines = new StringBuilder();
        for (ObjectNode record : records) {
            lines.append(line(record)).append('\n');
        }
        return Files.writeString(runDir.resolve("results.jsonl"), lines.toString(), StandardCharsets.UTF_8);
    }

    /** {@code record} on one line. */
    static String line(ObjectNode record) {
        try {
            return MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The record of one point. */
    static ObjectNode find(List<ObjectNode> records, String layer, String engine, double drop, int seed) {
        return records.stream().filter(r -> r.at("/config/defense/layer").asText().equals(layer)
                && r.at("/config/engine").asText().equals(engine) && r.at("/config/defense/drop").asDouble() == drop
                && r.get("seed").asInt() == seed).findFirst().orElseThrow();
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
