/**
 * Numerically stable array functions missing from DJL's NDArray (log-sum-exp, log-sigmoid, ...), and
 * double-precision evaluation in a scratch manager.
 */
package io.vi4j.api.kit.math;
