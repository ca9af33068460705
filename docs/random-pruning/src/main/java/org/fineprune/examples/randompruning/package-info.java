/**
 * An example defense in a module of its own, found by {@link org.fineprune.defenses.api.Defenses}
 * through its {@code META-INF/services} line alone: {@link org.fineprune.examples.randompruning.RandomPruning}.
 */
package org.fineprune.examples.randompruning;
