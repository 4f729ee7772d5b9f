/**
 * Progress of long computations: a loop names its stage and how many units it has, and reports how many
 * are done; whoever shows progress (the command line's bars, or nothing) listens on the calling thread.
 * The kit holds it so that plugins (a mixture's EM iterations) report the same way as the core's loops.
 */
package io.vi4j.api.kit.progress;
