package org.fineprune.experiments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.fineprune.core.FinepruneException;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.Defenses;

/**
 * The unit of work of a sweep: points that one run of their defense serves together (every drop
 * threshold of one pruning pass), on one engine, seed and protocol, with what a machine needs to run them
 * anywhere: the subject's paths and the SHA-256 the experiment expects of each, the defense's
 * settings, engine, seed and device. {@link #toJson} and {@link #fromJson} carry it to another
 * machine; {@link GroupRunner} turns it into records.
 *
 * @param experiment the experiment's name
 * @param subject the BadNet and its data, by path (along the points' subject axes)
 * @param device {@code cpu}, {@code gpu} or {@code auto}
 * @param points the points, in run order, all of one defense, engine, seed, protocol and recipe
 * @param hashes the SHA-256 of each of the subject's inputs, by role, as the experiment hashed them
 */
public record PointGroup(String experiment, Subject subject, String device, List<Point> points,
        Map<String, String> hashes) {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .build();

    /** Copies the values and checks that the points share defense, engine, seed, protocol and recipe. */
    public PointGroup {
        points = List.copyOf(points);
        hashes = Map.copyOf(hashes);
        if (points.isEmpty()) {
            throw new IllegalArgumentException("a point group needs at least one point");
        }
        Point first = points.get(0);
        for (Point point : points) {
            if (!point.defense().equals(first.defense()) || !point.engine().equals(first.engine())
                    || point.seed() != first.seed() || !point.protocol().equals(first.protocol())
                    || !point.subject().equals(first.subject())) {
                throw new IllegalArgumentException("point " + point.key() + " does not share the defense, engine, "
                        + "seed, protocol and recipe of " + first.key());
            }
        }
    }

    /** The defense's name. */
    public String defense() {
        return points.get(0).defense();
    }

    /** The engine. */
    public String engine() {
        return points.get(0).engine();
    }

    /** The seed. */
    public long seed() {
        return points.get(0).seed();
    }

    /** How the defender's clean images are used. */
    public Protocol protocol() {
        return points.get(0).protocol();
    }

    /** The points' keys, to name the group in messages. */
    public List<String> keys() {
        return points.stream().map(Point::key).toList();
    }

    /** The group as one JSON object, from which {@link #fromJson} makes it again on any machine. */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(new Wire(experiment, subject, device, defense(), engine(), seed(),
                    protocol(), points.get(0).subject(), points.get(0).axes(), points.stream().map(p -> (Map<String, Object>) p.settings().values()).toList(),
                    new TreeMap<>(hashes)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a point group cannot be written as JSON", e);
        }
    }

    /**
     * The group {@link #toJson} wrote, its settings checked again by its defense.
     *
     * @throws FinepruneException if the text is not a point group, or its defense is not on this class path
     */
    public static PointGroup fromJson(String json) {
        Wire wire;
        try {
            wire = MAPPER.readValue(json, Wire.class);
        } catch (JsonProcessingException e) {
            throw new FinepruneException("not a point group: " + e.getOriginalMessage(), e);
        }
        Defense defense;
        try {
            defense = Defenses.find(wire.defense());
        } catch (IllegalArgumentException e) {
            throw new FinepruneException(e.getMessage(), e);
        }
        List<Point> points = wire.settings().stream()
                .map(values -> new Point(defense.settings(values), wire.axes(), wire.engine(), wire.seed(),
                        wire.protocol(), wire.recipe())).toList();
        return new PointGroup(wire.experiment(), wire.subject(), wire.device(), points, wire.hashes());
    }

    /** The JSON form: the points' common parts once, then each point's settings. */
    private record Wire(String experiment, Subject subject, String device, String defense, String engine, long seed,
            Protocol protocol, SortedMap<String, String> recipe, List<String> axes, List<Map<String, Object>> settings, Map<String, String> hashes) {}
}
