package org.fineprune.reproducibility;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Map;

/**
 * The one JSON dialect of run records: keys sorted, no whitespace, numbers as Jackson writes Java
 * ints and doubles; reading rejects duplicate keys and anything after the object.
 *
 * <p>Doubles go through Jackson's own shortest-decimal writer rather than {@link Double#toString}:
 * Java 17's prints some doubles with extra digits ({@code 5.0E22} as {@code 4.9999999999999996E22},
 * JDK-4511638, fixed in Java 19), so the same record would be different bytes on different JDKs.
 */
final class CanonicalJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private CanonicalJson() {}

    /** {@code value} (a tree of maps, lists, strings, numbers, booleans and nulls) as compact JSON. */
    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The JSON object in {@code text}, as nested maps and lists. */
    static Map<String, Object> readObject(String text) {
        Map<String, Object> object;
        try {
            object = MAPPER.readValue(text, OBJECT);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (column " + e.getLocation().getColumnNr() + ")";
            throw new RecordFormatException("not a JSON object" + where + ": " + e.getOriginalMessage(), e);
        }
        if (object == null) {
            throw new RecordFormatException("not a JSON object: null");
        }
        return object;
    }
}
