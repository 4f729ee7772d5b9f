/**
 * What steers training besides the gradient: the KL weight's warm-up ({@link
 * io.vi4j.core.train.schedule.KlWeightSchedule}), the learning-rate schedules ({@link
 * io.vi4j.core.train.schedule.LearningRateSchedule}), the validation split ({@link
 * io.vi4j.core.train.schedule.ValidationSplit}) and early stopping ({@link
 * io.vi4j.core.train.schedule.EarlyStopping}). Each value is a pure function of the position in the run
 * (epoch, global step) and of the figures of the epochs before it, so a resumed run recomputes it instead
 * of reading it from a checkpoint, and a replayed step gets the same value.
 */
package io.vi4j.core.train.schedule;
