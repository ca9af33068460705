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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.fineprune.core.BadNet;
import org.fineprune.core.FinepruneException;
import org.fineprune.data.LabData;
import org.fineprune.defenses.api.Defenses;
import org.fineprune.defenses.api.Parameter;

/**
 * Reads an experiment from a small JSON or YAML file that mirrors the DSL:
 *
 * <pre>
 * name: lab3-pruning
 * model: {weights: ../shared/csaw/models/bd_weights.h5, scale: 1}
 * data: {dir: ../shared/csaw/data}          # or valid:, test:, poisoned:
 * # instead of model and data, the project's Fashion-MNIST BadNet of each seed:
 * # fashion-mnist: {data: /usr/share/datasets/fashion-mnist, cache: ~/.cache/fineprune,
 * #                 network: wide-cnn, attack: blend, rate: 0.05, pruning-aware: false}   # all four optional
 * defenses: [pruning]                        # the defense axis, names as `fineprune defenses` lists them
 * settings: {rule: first-over}               # values for every point, each for the defenses that declare it
 * sweep: {parameters: {drop: [2, 4, 10, 30], layer: [conv_3, conv_4]}, engines: [PyTorch, MXNet], seeds: [1, 2, 3],
 *         protocols: [lab, strict], selection-share: 0.2}   # protocols: lab (default), strict, backdoorbench
 * # with fashion-mnist, axes over its BadNet's recipe too (each optional; the key gains network=, attack=, poisoning-rate=):
 * #   networks: [wide-cnn, small-cnn], attacks: [patch, blend, pruning-aware], rates: [0.01, 0.1]
 * device: cpu                                # optional
 * out: runs/lab3                             # optional
 * </pre>
 *
 * Paths are resolved against the file's folder. Every key must have its type, with no conversion:
 * a string where a number is due (or the reverse), a fraction for an integer, a list for a single
 * value are errors naming the key, the value and the type expected; unknown and repeated keys are
 * errors too, so a typo does not silently fall back to a default. A defense's settings are checked
 * against the parameters it declares.
 *
 * @param plan the experiment
 * @param out the run folder the file names, or {@code null}
 */
public record ExperimentFile(ExperimentPlan plan, Path out) {
    private static final ObjectMapper JSON = strict(JsonMapper.builder());
    private static final ObjectMapper YAML = strict(YAMLMapper.builder());

    /** The file's keys and their types; Jackson refuses a value of another type. */
    private record Content(String name, ModelKeys model, DataKeys data,
            @JsonProperty("fashion-mnist") FashionMnistKeys fashionMnist, List<String> defenses,
            Map<String, Object> settings, SweepKeys sweep, String device, String out) {}

    private record ModelKeys(String weights, Double scale) {}

    private record DataKeys(String dir, String valid, String test, String poisoned) {}

    private record FashionMnistKeys(String data, String cache, String network, String attack, Double rate,
            @JsonProperty("pruning-aware") Boolean pruningAware) {}

    private record SweepKeys(Map<String, List<Object>> parameters, List<String> engines, List<Long> seeds,
            List<String> protocols, @JsonProperty("selection-share") Double selectionShare,
            List<String> networks, List<String> attacks, List<Double> rates) {}

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
        SweepKeys axes = content.sweep();
        Sweep sweep = axes == null ? Sweep.none()
                : new Sweep(orEmpty(axes.parameters()), orEmpty(axes.engines()), orEmpty(axes.seeds()),
                        Protocol.of(orEmpty(axes.protocols()), axes.selectionShare()),
                        new SubjectAxes(orEmpty(axes.networks()), orEmpty(axes.attacks()), orEmpty(axes.rates())));
        ExperimentPlan plan = new ExperimentPlan(required(content.name(), "name"), subject(content, base),
                required(content.defenses(), "defenses"), orEmpty(content.settings()), sweep, content.device());
        requireTypedSettings(plan);
        plan.points();
        return new ExperimentFile(plan, content.out() == null ? null : path(base, content.out()));
    }

    /**
     * Refuses a setting whose value has not its parameter's type as written: in a file, text is not
     * read as a number (nor a number as text), as for every other key.
     */
    private static void requireTypedSettings(ExperimentPlan plan) {
        Map<String, Parameter> declared = new HashMap<>();
        for (String defense : plan.defenses()) {
            Defenses.find(defense).parameters().forEach(p -> declared.putIfAbsent(p.name(), p));
        }
        plan.settings().forEach((name, value) -> requireTyped("settings." + name, declared.get(name), value));
        plan.sweep().parameters().forEach((name, values) -> {
            for (int i = 0; i < values.size(); i++) {
                requireTyped("sweep.parameters." + name + "[" + i + "]", declared.get(name), values.get(i));
            }
        });
    }

    private static void requireTyped(String key, Parameter parameter, Object value) {
        if (parameter == null) {
            return; // an undeclared parameter is refused with the defense's parameters by plan.points()
        }
        List<?> elements = value instanceof List<?> list ? list : List.of(value);
        String expected = switch (parameter.type()) {
            case INTEGER -> elements.stream().allMatch(v -> v instanceof Integer || v instanceof Long) ? null
                    : "an integer";
            case NUMBER, NUMBER_LIST -> elements.stream().allMatch(v -> v instanceof Number) ? null : "a number";
            case TEXT, CHOICE, TEXT_LIST -> elements.stream().allMatch(v -> v instanceof String) ? null : "a string";
        };
        if (expected != null) {
            String shown;
            try {
                shown = JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                shown = String.valueOf(value);
            }
            throw new IllegalArgumentException(key + ": " + shown + " is not " + expected);
        }
    }

    private static Subject subject(Content content, Path base) {
        if (content.fashionMnist() != null) {
            if (content.model() != null || content.data() != null) {
                throw new IllegalArgumentException("give either 'fashion-mnist' or 'model' and 'data', not both");
            }
            FashionMnistKeys keys = content.fashionMnist();
            return FashionMnistSubject.of(path(base, required(keys.data(), "fashion-mnist.data")),
                    path(base, required(keys.cache(), "fashion-mnist.cache"))).recipe(
                            keys.network() != null ? keys.network() : FashionMnistSubject.DEFAULT_NETWORK,
                            keys.attack() != null ? keys.attack() : FashionMnistSubject.DEFAULT_ATTACK,
                            keys.rate() != null ? keys.rate() : FashionMnistSubject.DEFAULT_RATE,
                            Boolean.TRUE.equals(keys.pruningAware()));
        }
        ModelKeys model = required(content.model(), "model");
        var source = BadNet.keras(path(base, required(model.weights(), "model.weights")))
                .scale(model.scale() == null ? 1 : model.scale());
        DataKeys data = required(content.data(), "data");
        LabData lab = data.dir() != null ? LabData.at(path(base, data.dir()))
                : new LabData(path(base, required(data.valid(), "data.valid")),
                        path(base, required(data.test(), "data.test")),
                        path(base, required(data.poisoned(), "data.poisoned")));
        return LabSubject.of(source, lab);
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

    private static <K, V> Map<K, V> orEmpty(Map<K, V> values) {
        return values == null ? Map.of() : values;
    }

    private static Path path(Path base, String value) {
        Path p = Path.of(value);
        return p.isAbsolute() ? p : base.resolve(p).normalize();
    }
}
