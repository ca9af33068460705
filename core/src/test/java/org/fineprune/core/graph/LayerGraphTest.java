package org.fineprune.core.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fineprune.core.ImageShape;
import org.fineprune.core.graph.Layer.Add;
import org.fineprune.core.graph.Layer.Concat;
import org.fineprune.core.graph.Layer.Conv;
import org.fineprune.core.graph.Layer.Dense;
import org.fineprune.core.graph.Layer.Flatten;
import org.fineprune.core.graph.Layer.FlattenOrder;
import org.fineprune.core.graph.Layer.Function;
import org.fineprune.core.graph.Layer.Input;
import org.fineprune.core.graph.Layer.Padding;
import org.fineprune.core.graph.Layer.Pool;
import org.fineprune.core.graph.Layer.PoolKind;
import org.junit.jupiter.api.Test;

class LayerGraphTest {
    private static final ImageShape IN = new ImageShape(3, 12, 11);

    static Conv conv(String name, String input, int filters, int kernel, int stride, Padding padding) {
        return new Conv(name, input, filters, kernel, kernel, stride, stride, padding, true, Function.RELU);
    }

    @Test
    void same_padding_puts_the_odd_row_and_column_at_the_bottom_and_right() {
        assertEquals(Padding.of(0, 0, 1, 1), Padding.SAME.resolve(12, 12, 3, 3, 2, 2));
        assertEquals(Padding.of(1, 1, 1, 1), Padding.SAME.resolve(12, 12, 3, 3, 1, 1));
        assertEquals(Padding.of(0, 0, 1, 1), Padding.SAME.resolve(5, 5, 2, 2, 1, 1));
        assertEquals(Padding.of(0, 0, 0, 0), Padding.SAME.resolve(4, 4, 2, 2, 2, 2));
    }

    @Test
    void shapes_and_weight_shapes_follow_from_the_layers() {
        LayerGraph graph = new LayerGraph("g", IN, List.of(
                new Input("input"),
                conv("a", "input", 4, 3, 2, Padding.SAME),
                conv("b", "input", 5, 2, 2, Padding.SAME),
                new Concat("cat", List.of("a", "b")),
                new Pool("pool", "cat", PoolKind.MAX, 3, 3, 2, 2, Padding.VALID),
                new Flatten("flat", "pool", FlattenOrder.CHW),
                new Dense("out", "flat", 7, false, Function.LINEAR)));
        assertArrayEquals(new int[] {4, 6, 6}, graph.shape("a"));
        assertArrayEquals(new int[] {9, 6, 6}, graph.shape("cat"));
        assertArrayEquals(new int[] {36}, graph.shape("flat"));
        assertEquals(7, graph.classes());
        assertArrayEquals(new int[] {4, 3, 3, 3}, graph.parameters().get("a/weight"));
        assertTrue(!graph.parameters().containsKey("out/bias"));
        assertEquals(List.of("cat"), graph.consumers("a"));
    }

    @Test
    void a_graph_that_cannot_run_is_refused_naming_the_layer_and_its_type() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> new LayerGraph("g", IN,
                List.of(new Input("input"), new Dense("out", "nowhere", 3, true, Function.LINEAR))));
        assertTrue(unknown.getMessage().contains("layer 'out' (Dense) reads 'nowhere'"), unknown.getMessage());
        IllegalArgumentException add = assertThrows(IllegalArgumentException.class, () -> new LayerGraph("g", IN,
                List.of(new Input("input"), conv("a", "input", 4, 3, 1, Padding.VALID), conv("b", "input", 4, 3, 1, Padding.SAME),
                        new Add("sum", List.of("a", "b")))));
        assertTrue(add.getMessage().startsWith("layer 'sum' (Add) adds shapes"), add.getMessage());
        IllegalArgumentException dense = assertThrows(IllegalArgumentException.class, () -> new LayerGraph("g", IN,
                List.of(new Input("input"), new Dense("out", "input", 3, true, Function.LINEAR))));
        assertTrue(dense.getMessage().contains("flatten it first"), dense.getMessage());
        IllegalArgumentException hwc = assertThrows(IllegalArgumentException.class, () -> new LayerGraph("g", IN,
                List.of(new Input("input"), new Flatten("flat", "input", FlattenOrder.HWC),
                        new Layer.Activation("act", "flat", Function.TANH),
                        new Dense("out", "act", 3, true, Function.LINEAR))));
        assertTrue(hwc.getMessage().contains("only dense layers may read such a flatten"), hwc.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LayerGraph("g", IN, List.of(new Input("input"),
                conv("a", "input", 4, 13, 1, Padding.VALID))));
    }
}
