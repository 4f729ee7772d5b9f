/**
 * The engine room of vi4j: plugin loading, configs, the stochastic-VI trainer, evaluation, datasets and
 * run outputs. Nothing here names a concrete plugin.
 */
package io.vi4j.core;
