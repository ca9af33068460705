package org.fineprune.core;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.Map;

/**
 * A parameter store that hands out some parameters multiplied by factors, so that a forward pass
 * carries gradients to the factors while the weights stay as they are; see {@link ChannelScaling}.
 */
final class ScalingStore extends ParameterStore {
    private final Map<Parameter, NDArray> factors;

    /**
     * Multiplies each parameter of {@code factors} by its factor, one value per entry of the
     * parameter's first axis (an output channel).
     */
    ScalingStore(NDManager manager, Map<Parameter, NDArray> factors) {
        super(manager, false);
        this.factors = factors;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        NDArray value = super.getValue(parameter, device, training);
        NDArray factor = parameter == null ? null : factors.get(parameter);
        if (factor == null) {
            return value;
        }
        // Reshaped here, inside the caller's gradient collector, so that the engine records the step.
        // The factor comes first: a result belongs to its first operand's manager, and the weight's is
        // the BadNet's own, which would keep every scaled copy until the BadNet closes.
        long[] broadcast = new long[value.getShape().dimension()];
        Arrays.fill(broadcast, 1);
        broadcast[0] = -1;
        return factor.reshape(broadcast).mul(value);
    }
}
