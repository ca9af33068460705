package org.fineprune.experiments;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.fineprune.core.DataFormatException;
import org.fineprune.reproducibility.RecordFormatException;
import org.fineprune.reproducibility.ResultsLog;
import org.fineprune.reproducibility.RunRecord;

/**
 * Converts between {@link PointRecord}s and the canonical JSON lines of {@code results.jsonl}, by
 * Jackson data binding: every field of the schema is required (as {@code null} where it has no
 * value), unknown fields and a schema of another version are refused; a record written before
 * protocols, without {@code config.protocol} and {@code defender}, is read as one of the lab protocol. {@link RunRecord} writes the
 * bytes, so a record is one canonical line.
 */
public final class Records {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    private static final TypeReference<Map<String, Object>> TREE = new TypeReference<>() {};

    private Records() {}

    /** {@code record} as a run record, ready to append. */
    public static RunRecord toRunRecord(PointRecord record) {
        return RunRecord.of(MAPPER.convertValue(record, TREE));
    }

    /**
     * The point record {@code record} holds.
     *
     * @throws RecordFormatException naming the point and the field, if it does not follow the schema
     */
    public static PointRecord fromRunRecord(RunRecord record) {
        Object schema = record.get("schema");
        if (!Integer.valueOf(PointRecord.SCHEMA).equals(schema)) {
            throw new RecordFormatException("record " + record.point() + ": schema " + (schema == null
                    ? "missing (a record of an older Fineprune; rerun it)" : schema + " is not " + PointRecord.SCHEMA)
                    + ", the version this Fineprune reads");
        }
        try {
            return MAPPER.convertValue(beforeProtocols(record.asMap()), PointRecord.class);
        } catch (IllegalArgumentException e) {
            String field = e.getCause() instanceof JsonMappingException m ? m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[") : "";
            String why = e.getCause() instanceof JsonMappingException m ? m.getOriginalMessage() : e.getMessage();
            throw new RecordFormatException("record " + record.point() + ": "
                    + (field.isEmpty() ? "" : "field " + field + ": ") + firstLine(why), e);
        }
    }

    /**
     * The records of a records file ({@code results.jsonl} or any other name) or of a run folder's
     * {@code results.jsonl}, in file order (a point written twice keeps its later record).
     *
     * @throws NoSuchFileException if there is no such file or folder
     * @throws DataFormatException naming the file and the record, if a record does not follow the schema
     * @throws IOException if the file cannot be read
     */
    public static List<PointRecord> read(Path fileOrRunDir) throws IOException {
        Path file = Files.isDirectory(fileOrRunDir) ? fileOrRunDir.resolve(ResultsLog.FILE_NAME) : fileOrRunDir;
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such records file");
        }
        List<RunRecord> lines;
        try {
            lines = ResultsLog.openFile(file).records();
        } catch (RecordFormatException e) {
            throw new DataFormatException(e.getMessage(), e); // it names the file and the line already
        }
        List<PointRecord> records = new ArrayList<>();
        for (RunRecord record : lines) {
            try {
                records.add(fromRunRecord(record));
            } catch (RecordFormatException e) {
                throw new DataFormatException(file + ": " + e.getMessage(), e);
            }
        }
        return records;
    }

    /**
     * A record written before protocols (issue 14) as one of the lab protocol that does not say how
     * many images the defender held: {@code config.protocol} lab and {@code defender} null.
     */
    private static Map<String, Object> beforeProtocols(Map<String, Object> tree) {
        if (tree.containsKey("defender") || !(tree.get("config") instanceof Map<?, ?> config)
                || config.containsKey("protocol")) {
            return tree;
        }
        Map<String, Object> filled = new LinkedHashMap<>(tree);
        Map<Object, Object> withProtocol = new LinkedHashMap<>(config);
        withProtocol.put("protocol", MAPPER.convertValue(Protocol.lab(), TREE));
        filled.put("config", withProtocol);
        filled.put("defender", null);
        return filled;
    }

    private static String firstLine(String text) {
        int newline = text == null ? -1 : text.indexOf('\n');
        return newline < 0 ? String.valueOf(text) : text.substring(0, newline);
    }
}
