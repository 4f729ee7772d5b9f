/**
 * Side-by-side comparisons: one config trained as several variants over several seeds, with learning
 * curves, a table and the raw results.
 */
package io.vi4j.core.compare;
