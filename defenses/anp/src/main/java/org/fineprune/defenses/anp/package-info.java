/**
 * Adversarial Neuron Pruning (Wu and Wang, NeurIPS 2021), a defense module found through its
 * {@code META-INF/services} line: {@link org.fineprune.defenses.anp.AdversarialNeuronPruning}, with
 * the mask optimisation in {@link org.fineprune.defenses.anp.MaskOptimization}.
 */
package org.fineprune.defenses.anp;
