/** Numerically stable array functions missing from DJL's NDArray (log-sum-exp, log-sigmoid, ...). */
package io.vi4j.api.kit.math;
