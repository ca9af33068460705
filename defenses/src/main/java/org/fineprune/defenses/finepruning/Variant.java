package org.fineprune.defenses.finepruning;

/** The four defenses Fine-Pruning's paper compares. */
public enum Variant {
    /** Fine-tune the BadNet on clean validation data. */
    FINE_TUNING("fine-tuning"),
    /**
     * Prune the network's {@link org.fineprune.core.Architecture#pruningLayer} (DeepID's conv_3, as
     * the lab does) until validation accuracy drops by the threshold.
     */
    PRUNING("pruning"),
    /** Prune as {@link #PRUNING} does, then fine-tune with the pruned channels masked. */
    FINE_PRUNING("fine-pruning"),
    /** Prune several convolution layers at once, then fine-tune with the pruned channels masked. */
    MULTI_LAYER_FINE_PRUNING("multi-layer fine-pruning");

    private final String label;

    Variant(String label) {
        this.label = label;
    }

    /** The name used in tables and on the command line. */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
