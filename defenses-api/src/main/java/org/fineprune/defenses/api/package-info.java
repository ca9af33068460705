/**
 * What a defense module implements and how defenses are found: {@link org.fineprune.defenses.api.Defense},
 * its {@link org.fineprune.defenses.api.Parameter}s, validated {@link org.fineprune.defenses.api.Settings}
 * and the {@link org.fineprune.defenses.api.Defenses} registry over {@link java.util.ServiceLoader}. A
 * jar that lists its defense in {@code META-INF/services/org.fineprune.defenses.api.Defense} is enough.
 */
package org.fineprune.defenses.api;
