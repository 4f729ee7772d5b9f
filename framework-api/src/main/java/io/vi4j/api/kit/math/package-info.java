/**
 * Numerically stable array functions missing from DJL's NDArray (log-sum-exp, log-sigmoid, ...), and
 * double-precision evaluation in a scratch manager; size checks before allocation ({@code MemoryBudget}),
 * per-row noise ({@code RowNoise}), and host floats handed to the engine through a reused direct buffer
 * ({@code HostStaging}).
 */
package io.vi4j.api.kit.math;
