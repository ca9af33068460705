package org.fineprune.experiments;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
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
 * Paths are resolved against the file's folder. Every value must have its key's type, with no
 * conversion: a string where a number is due (or the reverse), a fraction for an integer, a
 * boolean, a list for a single value are errors naming the key, the value and the type expected;
 * unknown and repeated keys are errors too, so a typo does not silently fall back to a default.
 *
 * @param plan the experiment
 * @param out the run folder the file names, or {@code null}
 */
public record ExperimentFile(ExperimentPlan plan, Path out) {
    private static final ObjectMapper JSON = strict(JsonMapper.builder());
    private static final ObjectMapper YAML = strict(YAMLMapper.builder());

    /** The file's keys and their types; Jackson refuses a value of another type. */
    private record Content(String name, ModelKeys model, DataKeys data, DefenseKeys defense, SweepKeys sweep,
            String device, String out) {}

    private record ModelKeys(String weights, Double scale) {}

    private record DataKeys(String dir, String valid, String test, String poisoned) {}

    private record DefenseKeys(String name, String layer, @JsonProperty("ranking_layer") String rankingLayer,
            String rule, List<Double> drops, Integer batch) {}

    private record SweepKeys(List<Double> drops, List<String> layers, List<String> engines, List<Long> seeds) {}

    /** A mapper that converts nothing: each value must already have the type of its key. */
    private static ObjectMapper strict(MapperBuilder<?, ?> builder) {
        return builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                // A key set to null counts as left out; a null inside a list is refused.
                .defaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL))
                .withCoercionConfig(LogicalType.Textual, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .build();
    }

    /**
     * Reads {@code file} ({@code .json}, {@code .yaml} or {@code .yml}).
     *
     * @throws IOException if it cannot be read ({@link java.nio.file.NoSuchFileException} if missing)
     * @throws FinepruneException naming the file and the key if its content is wrong
     */
    public static ExperimentFile read(Path file) throws IOException {
        String fileName = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper = fileName.endsWith(".yaml") || fileName.endsWith(".yml") ? YAML : JSON;
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = mapper.readTree(in);
        } catch (JsonProcessingException e) {
            throw new FinepruneException(file + ": not a readable experiment file (" + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : ", line " + e.getLocation().getLineNr()) + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new FinepruneException(file + ": an experiment file must hold an object with the keys "
                    + knownKeys(Content.class));
        }
        Content content;
        try {
            content = mapper.treeToValue(root, Content.class);
        } catch (JsonProcessingException e) {
            throw new FinepruneException(file + ": " + wrongValue(e, root), e);
        }
        try {
            return parse(content, file.toAbsolutePath().getParent());
        } catch (IllegalArgumentException e) {
            throw new FinepruneException(file + ": " + e.getMessage(), e);
        }
    }

    private static ExperimentFile parse(Content content, Path base) {
        ModelKeys model = required(content.model(), "model");
        var source = BadNet.keras(path(base, required(model.weights(), "model.weights")))
                .scale(model.scale() == null ? 1 : model.scale());
        DataKeys data = required(content.data(), "data");
        LabData lab = data.dir() != null ? LabData.at(path(base, data.dir()))
                : new LabData(path(base, required(data.valid(), "data.valid")),
                        path(base, required(data.test(), "data.test")),
                        path(base, required(data.poisoned(), "data.poisoned")));
        SweepKeys axes = content.sweep();
        Sweep sweep = axes == null ? Sweep.none()
                : new Sweep(orEmpty(axes.drops()), orEmpty(axes.layers()), orEmpty(axes.engines()),
                        orEmpty(axes.seeds()));
        ExperimentPlan plan = new ExperimentPlan(required(content.name(), "name"), source, lab,
                defense(content.defense()), sweep, content.device());
        return new ExperimentFile(plan, content.out() == null ? null : path(base, content.out()));
    }

    private static PruningConfig defense(DefenseKeys keys) {
        PruningConfig config = Pruning.meanActivation();
        if (keys == null) {
            return config;
        }
        if (keys.name() != null && !keys.name().equals("mean-activation-pruning")) {
            throw new IllegalArgumentException("defense.name: unknown defense '" + keys.name()
                    + "'; defenses: [mean-activation-pruning]");
        }
        if (keys.layer() != null) {
            config = config.layer(keys.layer());
        }
        if (keys.rankingLayer() != null) {
            config = config.rankingLayer(keys.rankingLayer());
        }
        if (keys.rule() != null) {
            config = config.rule(SelectionRule.fromLabel(keys.rule()));
        }
        if (keys.drops() != null) {
            config = config.drops(keys.drops());
        }
        if (keys.batch() != null) {
            config = config.batchSize(keys.batch());
        }
        return config;
    }

    /**
     * What Jackson refused, as "key: value is not the type expected" (or "unknown key"); the value is
     * read back from the tree since Jackson's messages quote it only for some types.
     */
    private static String wrongValue(JsonProcessingException e, JsonNode root) {
        if (!(e instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
            return "not a valid experiment file (" + e.getOriginalMessage() + ")";
        }
        StringBuilder key = new StringBuilder();
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference step : mapping.getPath()) {
            if (step.getFieldName() != null) {
                key.append(key.length() == 0 ? "" : ".").append(step.getFieldName());
                pointer.append('/').append(step.getFieldName().replace("~", "~0").replace("/", "~1"));
            } else {
                key.append('[').append(step.getIndex()).append(']');
                pointer.append('/').append(step.getIndex());
            }
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown key '" + key + "'; allowed: " + new TreeSet<>(unknown.getKnownPropertyIds()
                    .stream().map(String::valueOf).toList());
        }
        JsonNode value = root.at(JsonPointer.compile(pointer.toString()));
        if (e.getCause() instanceof InputCoercionException outOfRange) {
            return key + ": " + value + " is out of range for " + typeName(outOfRange.getTargetType());
        }
        Class<?> type = e instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
        return key + ": " + value + " is not " + typeName(type);
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "of the type expected";
        }
        if (type == Long.class || type == Integer.class || type == long.class || type == int.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object with the keys " + knownKeys(type);
    }

    private static List<String> knownKeys(Class<?> type) {
        return JSON.getDeserializationConfig().introspect(JSON.constructType(type)).findProperties().stream()
                .map(BeanPropertyDefinition::getName).sorted().toList();
    }

    private static <T> T required(T value, String key) {
        if (value == null) {
            throw new IllegalArgumentException("missing key '" + key + "'");
        }
        return value;
    }

    private static <T> List<T> orEmpty(List<T> values) {
        return values == null ? List.of() : values;
    }

    private static Path path(Path base, String value) {
        Path p = Path.of(value);
        return p.isAbsolute() ? p : base.resolve(p).normalize();
    }
}
