/** Neural Attention Distillation (Li et al., ICLR 2021) as a {@link org.fineprune.defenses.api.Defense}. */
package org.fineprune.defenses.nad;
