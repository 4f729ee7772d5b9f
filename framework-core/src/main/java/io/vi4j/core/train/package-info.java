/**
 * The generic stochastic-VI trainer: seeded minibatches, a gradient estimator's surrogate, Adam, and
 * per-epoch metrics, with one native-memory scope per batch; the schedules and stopping rule of a fit
 * ({@code FitSchedules}, over {@link io.vi4j.core.train.schedule}); the engine threads of a fit's steps
 * ({@code StepThreads}), steps cut into slices of rows computed side by side ({@code StepShards}, over
 * {@code HandOffThread}s), and Adam's one-pass host update ({@code HostAdam}, split over two threads).
 */
package io.vi4j.core.train;
