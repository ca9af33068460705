/**
 * STRIP (Gao et al., ACSAC 2019), an input detector: see {@link org.fineprune.defenses.strip.Strip}.
 */
package org.fineprune.defenses.strip;
