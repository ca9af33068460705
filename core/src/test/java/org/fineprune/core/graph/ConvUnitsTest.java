package org.fineprune.core.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.fineprune.core.DeepId;
import org.fineprune.core.ImageShape;
import org.fineprune.core.graph.Layer.Activation;
import org.fineprune.core.graph.Layer.Add;
import org.fineprune.core.graph.Layer.BatchNorm;
import org.fineprune.core.graph.Layer.Conv;
import org.fineprune.core.graph.Layer.Dense;
import org.fineprune.core.graph.Layer.Function;
import org.fineprune.core.graph.Layer.GlobalPool;
import org.fineprune.core.graph.Layer.Input;
import org.fineprune.core.graph.Layer.Padding;
import org.fineprune.core.graph.Layer.PoolKind;
import org.junit.jupiter.api.Test;

class ConvUnitsTest {
    /** stem (conv, BN, ReLU), a residual block (conv, BN, ReLU, conv, BN, add, ReLU), global average pool, dense. */
    static final LayerGraph RESIDUAL = new LayerGraph("residual", new ImageShape(1, 8, 8), List.of(
            new Input("input"),
            conv("stem"), new BatchNorm("stem_bn", "stem", 1e-5f, 0.9f), new Activation("stem_relu", "stem_bn", Function.RELU),
            new Conv("block.conv1", "stem_relu", 4, 3, 3, 1, 1, Padding.SAME, false, Function.LINEAR),
            new BatchNorm("block.bn1", "block.conv1", 1e-5f, 0.9f),
            new Activation("block.relu1", "block.bn1", Function.RELU),
            new Conv("block.conv2", "block.relu1", 4, 3, 3, 1, 1, Padding.SAME, false, Function.LINEAR),
            new BatchNorm("block.bn2", "block.conv2", 1e-5f, 0.9f),
            new Add("block.add", List.of("block.bn2", "stem_relu")),
            new Activation("block.relu2", "block.add", Function.RELU),
            new GlobalPool("gap", "block.relu2", PoolKind.AVERAGE, false),
            new Dense("fc", "gap", 3, true, Function.LINEAR)));

    private static Conv conv(String name) {
        return new Conv(name, "input", 4, 3, 3, 1, 1, Padding.SAME, false, Function.LINEAR);
    }

    @Test
    void deepid_ranks_by_the_pools_and_caches_conv_4_at_pool_3() {
        ConvUnits units = new ConvUnits(DeepId.GRAPH);
        assertEquals(List.of("conv_1", "conv_2", "conv_3", "conv_4"), units.convs());
        assertEquals("pool_1", units.rankingLayer("conv_1"));
        assertEquals("pool_3", units.rankingLayer("conv_3"));
        assertEquals("conv_4", units.rankingLayer("conv_4"));
        assertEquals("pool_2", units.cachePoint("conv_2"));
        assertEquals("pool_3", units.cachePoint("conv_4"));
        assertEquals("conv_3", units.pruningLayer());
        assertEquals("conv_3", units.maskedAt("pool_3"));
        assertNull(units.maskedAt("fc_1"));
    }

    @Test
    void a_unit_takes_in_the_batch_norm_and_activation_and_a_residual_sweep_caches_the_block_input() {
        ConvUnits units = new ConvUnits(RESIDUAL);
        assertEquals("stem_relu", units.unitEnd("stem"));
        assertEquals("block.relu1", units.unitEnd("block.conv1"));
        assertEquals("block.bn2", units.unitEnd("block.conv2"), "the add is not part of the unit");
        assertEquals("stem_relu", units.cachePoint("stem"), "the stem's unit output dominates the output");
        assertEquals("stem_relu", units.cachePoint("block.conv1"), "inside the block: the block's input");
        assertEquals("stem_relu", units.cachePoint("block.conv2"), "not block.relu1, which the skip bypasses");
        assertEquals("block.conv2", units.rankingLayer("block.conv2"));
        assertEquals("stem", units.pruningLayer());
        assertThrows(IllegalArgumentException.class, () -> units.unitEnd("gap"));
    }
}
