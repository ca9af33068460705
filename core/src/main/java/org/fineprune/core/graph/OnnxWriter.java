package org.fineprune.core.graph;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.fineprune.core.AtomicFile;
import org.fineprune.core.graph.OnnxReader.Binding;

/**
 * Writes the weights of a {@link GraphModel} back into a copy of the ONNX file it was read from: the
 * same graph, nodes and names, with each weight's tensor replaced. A tensor that several layers
 * share (PyTorch's exporter merges equal initializers) or that a Constant node holds is given a
 * fresh initializer of its own, so that pruning one layer leaves the others as they were.
 */
public final class OnnxWriter {
    private OnnxWriter() {}

    /**
     * Writes {@code model}'s weights into a copy of {@code original} at {@code target}, whole or not
     * at all ({@link AtomicFile}).
     *
     * @throws IOException if {@code target} exists (it is never overwritten) or cannot be written
     * @throws org.fineprune.core.ModelFormatException if {@code original} is not the ONNX file of the
     *     model's graph
     */
    public static void write(Path original, GraphModel model, Path target) throws IOException {
        if (Files.exists(target)) {
            throw new IOException(target + ": already exists; not overwriting it");
        }
        ModelProto proto = ModelProto.parseFrom(Files.readAllBytes(original));
        Map<String, Binding> bindings = new TreeMap<>(OnnxReader.bindings(original));
        GraphProto.Builder graph = proto.getGraph().toBuilder();
        Map<String, Integer> initializers = new HashMap<>();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            initializers.put(graph.getInitializer(i).getName(), i);
        }
        Map<String, Integer> uses = new HashMap<>();
        bindings.values().forEach(b -> uses.merge(b.tensor(), 1, Integer::sum));
        Map<String, int[]> shapes = model.graph().parameters();
        for (Map.Entry<String, Binding> e : bindings.entrySet()) {
            Binding b = e.getValue();
            int[] shape = shapes.get(e.getKey());
            float[] values = model.weights().get(e.getKey());
            if (b.transposed()) {
                values = transpose(values, shape[0], shape[1]);
                shape = new int[] {shape[1], shape[0]};
            }
            Integer index = initializers.get(b.tensor());
            if (index != null && uses.get(b.tensor()) == 1) {
                graph.setInitializer(index, tensor(b.tensor(), shape, values));
            } else {
                String fresh = e.getKey();
                while (initializers.containsKey(fresh)) {
                    fresh = fresh + "_";
                }
                initializers.put(fresh, graph.getInitializerCount());
                graph.addInitializer(tensor(fresh, shape, values));
                graph.setNode(b.node(), graph.getNode(b.node()).toBuilder().setInput(b.input(), fresh));
            }
        }
        AtomicFile.write(target, proto.toBuilder().setGraph(graph).build().toByteArray());
    }

    private static TensorProto tensor(String name, int[] shape, float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(raw.array()));
        for (int d : shape) {
            t.addDims(d);
        }
        return t.build();
    }

    /** The (columns, rows) transpose of a row-major (rows, columns) matrix. */
    private static float[] transpose(float[] values, int rows, int columns) {
        float[] out = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                out[c * rows + r] = values[r * columns + c];
            }
        }
        return out;
    }
}
