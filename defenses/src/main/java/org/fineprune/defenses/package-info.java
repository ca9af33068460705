/** Backdoor defenses; each defense lives in its own sub-package. */
package org.fineprune.defenses;
