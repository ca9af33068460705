package org.fineprune.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.fineprune.attacks.FashionMnistNetworks;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.Defenses;
import org.junit.jupiter.api.Test;

class CostTableTest {
    @Test
    void a_measured_point_overrides_the_network_factor() {
        CostTable costs = new CostTable(Map.of("pruning", 10.0, "other", 60.0), Map.of("wide-cnn", 3.0), Map.of(),
                Map.of("wide-cnn.pruning", 25.0));

        assertEquals(25, costs.pointSeconds("pruning", "wide-cnn"));
        assertEquals(180, costs.pointSeconds("nad", "wide-cnn"));
        assertEquals(10, costs.pointSeconds("pruning", "small-cnn"));
    }

    @Test
    void the_checked_in_table_prices_known_networks_and_defenses() {
        CostTable costs = CostTable.measured();
        Set<String> defenses = Defenses.all().stream().map(Defense::name).collect(Collectors.toSet());

        assertFalse(costs.measuredPoints().isEmpty());
        costs.measuredPoints().forEach((key, seconds) -> {
            String network = key.substring(0, key.indexOf('.'));
            String defense = key.substring(key.indexOf('.') + 1);
            assertTrue(FashionMnistNetworks.NAMES.contains(network), key);
            assertTrue(defenses.contains(defense), key);
            assertEquals(seconds, costs.pointSeconds(defense, network), key);
        });
        assertTrue(costs.networkFactors().keySet().containsAll(FashionMnistNetworks.NAMES));
        assertTrue(costs.trainingSeconds().keySet().containsAll(FashionMnistNetworks.NAMES));
    }
}
