package org.fineprune.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fineprune.core.DataFormatException;
import org.fineprune.experiments.SweepPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the records of a run folder's {@code results.jsonl} (schema: {@code docs/run-records.md}). */
final class ResultsFile {
    /** The file name a sweep writes its records to. */
    static final String NAME = "results.jsonl";

    private static final Logger LOG = LoggerFactory.getLogger(ResultsFile.class);

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ResultsFile() {}

    /**
     * The records of {@code runDir}/results.jsonl in file order; blank lines are skipped, a point
     * written twice keeps its later line (the values are the same unless the file was edited), and a
     * last line cut short by a killed run (no newline, not JSON) is left out with a warning.
     *
     * @throws NoSuchFileException if the folder or its results.jsonl does not exist
     * @throws DataFormatException if the file holds no records, a line is not a JSON object, or a
     *     record lacks a field the report needs; the message names the file and line
     */
    static List<ResultRecord> read(Path runDir) throws IOException {
        if (!Files.isDirectory(runDir)) {
            throw new NoSuchFileException(runDir.toString(), null, "no such run folder");
        }
        Path file = runDir.resolve(NAME);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "no " + NAME + " in run folder " + runDir + " (has a sweep run there?)");
        }
        Map<String, ResultRecord> byPoint = new LinkedHashMap<>();
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            ResultRecord record;
            try {
                record = parse(file, i + 1, line);
            } catch (DataFormatException e) {
                if (i == lines.size() - 1 && !text.endsWith("\n") && e.getCause() instanceof JsonProcessingException) {
                    // A record cut short by a killed run, as ResultsLog leaves it: the next append overwrites it.
                    LOG.warn("{}:{}: skipped a truncated record at the end of the file (a run cut short)", file, i + 1);
                    continue;
                }
                throw e;
            }
            byPoint.remove(record.point());
            byPoint.put(record.point(), record);
        }
        if (byPoint.isEmpty()) {
            throw new DataFormatException(file + ": no records (the file is empty); nothing to report for run folder "
                    + runDir);
        }
        return List.copyOf(byPoint.values());
    }

    /** One line as a record; {@code file} and {@code number} only make messages. */
    static ResultRecord parse(Path file, int number, String line) {
        JsonNode json;
        try {
            json = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new DataFormatException(file + ":" + number + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (json == null || !json.isObject()) {
            throw new DataFormatException(file + ":" + number + ": not a JSON object");
        }
        Fields f = new Fields(file, number, json);
        String layer = f.text("config.defense.layer");
        String engine = f.text("config.engine");
        double drop = f.number("config.defense.drop");
        long seed = f.integer("seed");
        Map<String, String> axes = json.hasNonNull("point")
                ? axes(f, json.get("point").asText())
                : defaultAxes(drop, engine, layer, seed);
        String point = String.join(",", axes.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        JsonNode curveNode = f.node("curve");
        if (!curveNode.isArray()) {
            throw f.error("curve", "is not an array of accuracies");
        }
        double[] curve = new double[curveNode.size()];
        for (int i = 0; i < curve.length; i++) {
            if (!curveNode.get(i).isNumber()) {
                throw f.error("curve[" + i + "]", "is not a number");
            }
            curve[i] = curveNode.get(i).asDouble();
        }
        double pruned = f.number("metrics.pruned");
        return new ResultRecord(number, f.optionalText("experiment"), point, axes, layer, engine, drop, seed,
                f.optionalText("config.defense.rule"), f.optionalText("config.defense.ranking_layer"), pruned,
                f.optionalBoolean("metrics.reached", true), f.optionalNumber("metrics.valid_accuracy"),
                f.number("metrics.baseline.valid_accuracy"), f.optionalNumber("metrics.baseline.clean_accuracy"),
                f.optionalNumber("metrics.baseline.attack_success_rate"),
                f.optionalNumber("metrics.repaired.clean_accuracy"),
                f.optionalNumber("metrics.repaired.attack_success_rate"),
                f.optionalNumber("metrics.goodnet.clean_accuracy"),
                f.optionalNumber("metrics.goodnet.attack_success_rate"),
                f.optionalNumber("metrics.goodnet.poisoned_flagged"),
                f.optionalNumber("metrics.goodnet.clean_flagged"), curve);
    }

    private static Map<String, String> axes(Fields f, String point) {
        Map<String, String> axes = new LinkedHashMap<>();
        for (String pair : point.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw f.error("point", "is not axis=value pairs joined with commas: '" + point + "'");
            }
            axes.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return axes;
    }

    private static Map<String, String> defaultAxes(double drop, String engine, String layer, long seed) {
        Map<String, String> axes = new LinkedHashMap<>();
        axes.put("drop", SweepPoint.number(drop));
        axes.put("engine", engine);
        axes.put("layer", layer);
        axes.put("seed", Long.toString(seed));
        return axes;
    }

    /** Looks up dotted paths in one record and names the file, line and field when one is wrong. */
    private record Fields(Path file, int number, JsonNode json) {
        JsonNode find(String path) {
            JsonNode node = json;
            for (String key : path.split("\\.")) {
                node = node.get(key);
                if (node == null || node.isNull()) {
                    return null;
                }
            }
            return node;
        }

        JsonNode node(String path) {
            JsonNode node = find(path);
            if (node == null) {
                throw error(path, "is missing");
            }
            return node;
        }

        String text(String path) {
            JsonNode node = node(path);
            if (!node.isTextual() || node.asText().isBlank()) {
                throw error(path, "is not a non-empty string");
            }
            return node.asText();
        }

        String optionalText(String path) {
            JsonNode node = find(path);
            return node == null ? "" : node.asText();
        }

        double number(String path) {
            JsonNode node = node(path);
            if (!node.isNumber()) {
                throw error(path, "is not a number");
            }
            return node.asDouble();
        }

        long integer(String path) {
            JsonNode node = node(path);
            if (!node.canConvertToLong() || !node.isIntegralNumber()) {
                throw error(path, "is not an integer");
            }
            return node.asLong();
        }

        double optionalNumber(String path) {
            JsonNode node = find(path);
            if (node == null) {
                return Double.NaN;
            }
            if (!node.isNumber()) {
                throw error(path, "is not a number");
            }
            return node.asDouble();
        }

        boolean optionalBoolean(String path, boolean absent) {
            JsonNode node = find(path);
            return node == null ? absent : node.asBoolean(absent);
        }

        DataFormatException error(String path, String problem) {
            return new DataFormatException(String.format(Locale.ROOT, "%s:%d: %s %s", file, number, path, problem));
        }
    }
}
