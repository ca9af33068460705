package org.fineprune.defenses.pruning;

import org.fineprune.core.Accuracy;

/**
 * A model's two scores on test data.
 *
 * @param clean clean accuracy: clean images classified as their label
 * @param attack attack success rate: poisoned images classified as the attack's target
 */
public record Outcome(Accuracy clean, Accuracy attack) {}
