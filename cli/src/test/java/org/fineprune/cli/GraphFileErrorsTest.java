package org.fineprune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.fineprune.core.BadNet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate} without {@code -v} on a broken ONNX model or a data file of the wrong shape: one
 * line naming the file and the fault, exit code 1.
 */
class GraphFileErrorsTest {
    @TempDir
    Path dir;

    private byte[] onnx;
    private Path clean;

    @BeforeEach
    void plainCnnAndData() throws IOException {
        try (InputStream in = BadNet.class.getResourceAsStream("graph/plain_cnn.onnx")) {
            onnx = in.readAllBytes();
        }
        clean = dir.resolve("clean.h5");
        try (WritableHdfFile hdf = HdfFile.write(clean)) {
            hdf.putDataset("data", new float[2][3][55][47]);
            hdf.putDataset("label", new int[2]);
        }
    }

    @Test
    void a_truncated_onnx_file() throws IOException {
        Path model = Files.write(dir.resolve("cut.onnx"), Arrays.copyOf(onnx, onnx.length / 2));
        assertOneLine(model, model + ": not a readable ONNX model");
    }

    @Test
    void an_unsupported_onnx_operator() throws IOException {
        OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(onnx);
        OnnxMl.GraphProto.Builder graph = proto.getGraph().toBuilder();
        graph.setNode(1, graph.getNode(1).toBuilder().setOpType("LeakyRelu"));
        Path model = Files.write(dir.resolve("leaky.onnx"), proto.toBuilder().setGraph(graph).build().toByteArray());
        assertOneLine(model, model + ": node '/relu1/Relu' (LeakyRelu) is not supported");
    }

    @Test
    void a_data_file_of_another_shape_than_the_model_takes() throws IOException {
        Path model = Files.write(dir.resolve("plain.onnx"), onnx);
        assertOneLine(model, clean + ": images are (N, 3, 55, 47) but plain.onnx takes (");
    }

    private void assertOneLine(Path model, String start) {
        CliRunner r = CliRunner.run("evaluate", "--model", model.toString(), "--clean", clean.toString());
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("fineprune evaluate: error: " + start), r.err());
    }
}
