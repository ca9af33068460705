package org.fineprune.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.fineprune.core.BadNet;
import org.fineprune.core.FinepruneException;
import org.fineprune.data.LabData;
import org.fineprune.defenses.pruning.Pruning;
import org.fineprune.defenses.pruning.PruningConfig;
import org.fineprune.defenses.pruning.SelectionRule;

/**
 * Reads an experiment from a small JSON or YAML file that mirrors the DSL:
 *
 * <pre>
 * name: lab3-pruning
 * model: {weights: ../shared/csaw/models/bd_weights.h5, scale: 1}
 * data: {dir: ../shared/csaw/data}          # or valid:, test:, poisoned:
 * defense: {name: mean-activation-pruning, layer: conv_3, rule: first-over, drops: [2, 4, 10, 30]}
 * sweep: {drops: [2, 4, 10], layers: [conv_3, conv_4], engines: [PyTorch, MXNet], seeds: [1, 2, 3]}
 * device: cpu                                # optional
 * out: runs/lab3                             # optional
 * </pre>
 *
 * Paths are resolved against the file's folder. Unknown keys are errors, so a typo does not silently
 * fall back to a default.
 *
 * @param plan the experiment
 * @param out the run folder the file names, or {@code null}
 */
public record ExperimentFile(ExperimentPlan plan, Path out) {
    private static final Set<String> TOP = Set.of("name", "model", "data", "defense", "sweep", "device", "out");

    /**
     * Reads {@code file} ({@code .json}, {@code .yaml} or {@code .yml}).
     *
     * @throws IOException if it cannot be read
     * @throws FinepruneException naming the file and the key if its content is wrong
     */
    public static ExperimentFile read(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? new ObjectMapper(new YAMLFactory())
                : new ObjectMapper();
        JsonNode root;
        try {
            root = mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new FinepruneException(file + ": not a readable experiment file (" + e.getMessage().lines()
                    .findFirst().orElse("") + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new FinepruneException(file + ": an experiment file must hold an object with " + TOP);
        }
        Path base = file.toAbsolutePath().getParent();
        try {
            return parse(root, base);
        } catch (IllegalArgumentException e) {
            throw new FinepruneException(file + ": " + e.getMessage(), e);
        }
    }

    private static ExperimentFile parse(JsonNode root, Path base) {
        keys(root, TOP, "");
        JsonNode model = required(root, "model");
        keys(model, Set.of("weights", "scale"), "model.");
        var source = BadNet.keras(path(base, text(model, "weights")))
                .scale(model.has("scale") ? model.get("scale").asDouble() : 1);
        JsonNode data = required(root, "data");
        keys(data, Set.of("dir", "valid", "test", "poisoned"), "data.");
        LabData lab = data.has("dir") ? LabData.at(path(base, text(data, "dir")))
                : new LabData(path(base, text(data, "valid")), path(base, text(data, "test")),
                        path(base, text(data, "poisoned")));
        PruningConfig defense = defense(root.get("defense"));
        Sweep sweep = Sweep.none();
        if (root.has("sweep")) {
            JsonNode axes = root.get("sweep");
            keys(axes, Set.of("drops", "layers", "engines", "seeds"), "sweep.");
            sweep = new Sweep(list(axes, "drops", JsonNode::asDouble), list(axes, "layers", JsonNode::asText),
                    list(axes, "engines", JsonNode::asText), list(axes, "seeds", JsonNode::asLong));
        }
        ExperimentPlan plan = new ExperimentPlan(text(root, "name"), source, lab, defense, sweep,
                root.has("device") ? root.get("device").asText() : null);
        return new ExperimentFile(plan, root.has("out") ? path(base, text(root, "out")) : null);
    }

    private static PruningConfig defense(JsonNode node) {
        PruningConfig config = Pruning.meanActivation();
        if (node == null) {
            return config;
        }
        keys(node, Set.of("name", "layer", "ranking_layer", "rule", "drops", "batch"), "defense.");
        if (node.has("name") && !node.get("name").asText().equals("mean-activation-pruning")) {
            throw new IllegalArgumentException("defense.name: unknown defense '" + node.get("name").asText()
                    + "'; defenses: [mean-activation-pruning]");
        }
        if (node.has("layer")) {
            config = config.layer(node.get("layer").asText());
        }
        if (node.has("ranking_layer")) {
            config = config.rankingLayer(node.get("ranking_layer").asText());
        }
        if (node.has("rule")) {
            config = config.rule(SelectionRule.fromLabel(node.get("rule").asText()));
        }
        if (node.has("drops")) {
            config = config.drops(list(node, "drops", JsonNode::asDouble));
        }
        if (node.has("batch")) {
            config = config.batchSize(node.get("batch").asInt());
        }
        return config;
    }

    private static void keys(JsonNode node, Set<String> allowed, String prefix) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(prefix.isEmpty() ? "expected an object" : prefix
                    .substring(0, prefix.length() - 1) + " must be an object");
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + prefix + key + "'; allowed: " + allowed);
            }
        }
    }

    private static JsonNode required(JsonNode node, String key) {
        if (!node.has(key)) {
            throw new IllegalArgumentException("missing key '" + key + "'");
        }
        return node.get(key);
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = required(node, key);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("'" + key + "' must be a string");
        }
        return value.asText();
    }

    private static <T> List<T> list(JsonNode node, String key, Function<JsonNode, T> element) {
        List<T> values = new ArrayList<>();
        if (!node.has(key)) {
            return values;
        }
        JsonNode array = node.get(key);
        if (!array.isArray()) {
            throw new IllegalArgumentException("'" + key + "' must be a list");
        }
        array.forEach(v -> values.add(element.apply(v)));
        return values;
    }

    private static Path path(Path base, String value) {
        Path p = Path.of(value);
        return p.isAbsolute() ? p : base.resolve(p).normalize();
    }
}
