package io.vi4j.core.train;

import ai.djl.engine.Engine;
import ai.djl.Device;
import io.vi4j.api.kit.nn.Convolutions;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.estimator.ElboEstimate;
import io.vi4j.api.estimator.GradientEstimator;
import io.vi4j.api.learn.Learner;
import io.vi4j.api.model.PerItemFamily;
import io.vi4j.core.config.TrainingSpec;
import io.vi4j.api.kit.math.NdMath;
import io.vi4j.api.kit.math.RowNoise;
import io.vi4j.api.kit.nn.TrainingMode;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.core.eval.ElboReport;
import io.vi4j.core.model.AssembledDensity;
import io.vi4j.core.model.AssembledModel;
import io.vi4j.core.train.schedule.ValidationSplit;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Stochastic variational inference (Hoffman et al. 2013; Kingma &amp; Welling 2014): each step draws a
 * minibatch of {@code n} items, asks the estimator for a surrogate of the minibatch −ELBO per item
 * ({@code (1/N)·(N/n)·Σ_batch}, so figures are per data item whatever {@code n}), backpropagates it, and
 * lets Adam update every parameter.
 *
 * <p>Native memory: each step runs in its own child manager (its minibatch, from {@link Minibatches}, is
 * made in it, the noise is drawn in it, gradient handles are closed), so the
 * number of live arrays does not grow with the number of steps. The epoch's running sums stay on the
 * device and are read back every {@code readEvery} steps only.
 *
 * <p>Reproducibility and resumption: the engine's random stream is re-seeded at every step from
 * {@code (seed, global step)} and before every evaluation from {@code (seed, epoch)}, and each epoch's
 * order is drawn from {@code (seed, epoch)}; so the noise depends on the position in the run only, and a
 * run resumed from a {@link io.vi4j.core.checkpoint.Checkpoint} (parameters, Adam's moments and step
 * count, the estimator's running state, the epoch's order and running sums) ends with the same
 * parameters, bit for bit, as one that was never interrupted (on the same device and thread settings).
 *
 * <p>Schedules and stopping ({@link FitSchedules}): the KL weight β of each step, Adam's learning rate of
 * each epoch, a validation split carved from the training split and evaluated after every epoch, and early
 * stopping on it, optionally ending with the best epoch's parameters. All are functions of the position
 * and the figures of earlier epochs, which a checkpoint holds, plus the best parameters, which it holds too.
 */
public final class SviTrainer implements Learner<AssembledModel, List<EpochMetrics>> {
  private final TrainingSpec spec;
  private final GradientEstimator estimator;
  private final Evaluator evaluator;
  private final long shuffleSeed;
  private final long noiseSeed;
  private final long validationSeed;
  private final int readEvery;

  /**
   * @param spec epochs, batch size and Adam's settings
   * @param estimator the gradient estimator
   * @param evaluator evaluates the test −ELBO after epochs
   * @param seed seeds the minibatch order and the noise of every step
   */
  public SviTrainer(TrainingSpec spec, GradientEstimator estimator, Evaluator evaluator, long seed) {
    this(spec, estimator, evaluator, seed, 50);
  }

  /** As above, reading the running loss back every {@code readEvery} steps. */
  public SviTrainer(
      TrainingSpec spec, GradientEstimator estimator, Evaluator evaluator, long seed, int readEvery) {
    this.spec = spec;
    this.estimator = estimator;
    this.evaluator = evaluator;
    SplittableRandom streams = new SplittableRandom(seed);
    this.shuffleSeed = streams.nextLong();
    this.noiseSeed = streams.nextLong();
    this.validationSeed = streams.nextLong();
    this.readEvery = Math.max(1, readEvery);
  }

  /**
   * @param stateManager where Adam's moments live (the model's manager)
   * @return a new Adam optimizer with this trainer's settings (PyTorch's defaults unless configured)
   */
  public ResumableAdam newOptimizer(NDManager stateManager) {
    return new ResumableAdam(spec.learningRate().floatValue(), spec.beta1().floatValue(), spec.beta2().floatValue(),
        spec.epsilon().floatValue(), spec.clipGradient().floatValue(), stateManager);
  }

  /**
   * A trainer for any {@link TrainingObjective} ({@link #fit(TrainingObjective, DataSplits, TrainingListener,
   * TrainingCheckpoints)}): the objective brings its own loss and held-out evaluation.
   *
   * @param spec epochs, batch size and Adam's settings
   * @param seed seeds the minibatch order and the noise of every step
   */
  public SviTrainer(TrainingSpec spec, long seed) {
    this(spec, null, null, seed, 50);
  }

  /**
   * Fails, before anything is trained or written, when {@code training.shards} asks for more than one slice
   * per step where {@code model} and {@code estimator} cannot be split into slices of rows (the trainer
   * would refuse at its first step with the same message).
   *
   * @throws IllegalArgumentException naming {@code training.shards} and the reason
   */
  public static void checkShards(TrainingSpec spec, AssembledModel model, GradientEstimator estimator) {
    if (spec.shardCount() > 1) {
      checkShards(spec, new LatentObjective(model, estimator, null));
    }
  }

  /**
   * As {@link #checkShards(TrainingSpec, AssembledModel, GradientEstimator)}, for a density trained by
   * maximum likelihood (MADE).
   */
  public static void checkShards(TrainingSpec spec, AssembledDensity density) {
    if (spec.shardCount() > 1) {
      checkShards(spec, new DensityObjective(density, null));
    }
  }

  private static void checkShards(TrainingSpec spec, TrainingObjective objective) {
    StepThreads.slicesFor(spec.shardCount(), spec.batchSize(), 1, objective.rowSeparable(),
        Device.cpu().equals(objective.manager().getDevice()), objective.lossName());
  }

  /** Trains for the configured number of epochs, telling no one. */
  @Override
  public List<EpochMetrics> fit(AssembledModel model, DataSplits data) {
    return fit(model, data, new TrainingListener() {});
  }

  /** Trains for the configured number of epochs without checkpoints. */
  public List<EpochMetrics> fit(AssembledModel model, DataSplits data, TrainingListener listener) {
    return fit(model, data, listener, TrainingCheckpoints.NONE);
  }

  /**
   * Trains for the configured number of epochs, or for what remains of them after a checkpoint.
   *
   * @param model changed in place
   * @param data the training split is fitted (less a validation split, when configured, which is evaluated
   *     after every epoch); the test split is evaluated after each {@code evaluate_every} epochs
   * @param listener hears progress
   * @param checkpointing where to write checkpoints, and the one to resume from
   * @return the figures of every epoch (with a resumed run, those of the checkpoint's epochs first)
   * @throws IllegalArgumentException when the checkpoint to resume from does not fit the model, the data
   *     or the config, when the validation split leaves no item to train or validate on, or when the KL
   *     weight is scheduled and the estimator does not support one
   * @throws UncheckedIOException when a checkpoint cannot be written
   */
  public List<EpochMetrics> fit(
      AssembledModel model, DataSplits data, TrainingListener listener, TrainingCheckpoints checkpoints) {
    if (estimator == null) {
      throw new IllegalStateException("this trainer was made without an estimator: fit a TrainingObjective");
    }
    return fit(new LatentObjective(model, estimator, evaluator), data, listener, checkpoints);
  }

  /**
   * Trains {@code objective} for the configured number of epochs, or for what remains of them after a
   * checkpoint, as {@link #fit(AssembledModel, DataSplits, TrainingListener, TrainingCheckpoints)} does.
   *
   * @param objective the parameters, the loss and the held-out evaluation; its parameters change in place
   */
  public List<EpochMetrics> fit(
      TrainingObjective objective, DataSplits data, TrainingListener listener, TrainingCheckpoints checkpoints) {
    ResumableAdam optimizer = newOptimizer(objective.manager());
    List<Pair<String, Parameter>> parameters = objective.parameters();
    // Adam trains what has a gradient; batch norm's running statistics are saved and guarded, not trained,
    // and a per-item family's rows are trained row by row (ItemAdam).
    List<Pair<String, Parameter>> trained = parameters.stream().filter(p -> p.getValue().requiresGradient()).toList();
    Dataset train = data.train();
    ValidationSplit split = ValidationSplit.carve(train, spec.validation(), data.binarization());
    int n = split.trainedCount(train.rows());
    int batchSize = Math.min(spec.batchSize(), n);
    int steps = (n + batchSize - 1) / batchSize;
    // A per-item family has a row per item of the training split, held-out ones included (their rows stay).
    try (ItemAdam itemAdam = itemAdam(objective, train.rows());
        FitSchedules schedules = new FitSchedules(spec, split, steps, parameters, objective.manager())) {
      schedules.checkLoss(objective);
      return fit(objective, data, listener, checkpoints, optimizer, parameters, trained, itemAdam, split, schedules, n,
          batchSize, steps);
    }
  }

  /** @return Adam for a per-item family's rows, or null when the model has an encoder. */
  private ItemAdam itemAdam(TrainingObjective objective, int n) {
    PerItemFamily family = objective.perItemFamily();
    if (family == null) {
      return null;
    }
    long rows = family.table().getShape().get(0);
    if (rows != n) {
      throw new IllegalArgumentException("the model's per-item posteriors have " + rows + " rows but the training"
          + " split holds " + n + " items; build the model for the split it trains on");
    }
    return new ItemAdam(family, objective.manager(), spec);
  }

  private List<EpochMetrics> fit(TrainingObjective objective, DataSplits data, TrainingListener listener,
      TrainingCheckpoints checkpoints, ResumableAdam optimizer, List<Pair<String, Parameter>> parameters,
      List<Pair<String, Parameter>> trained, ItemAdam itemAdam, ValidationSplit split, FitSchedules schedules, int n,
      int batchSize, int steps) {
    boolean dynamic = data.binarization() == Binarization.DYNAMIC;
    Map<String, NDArray> runningState = new LinkedHashMap<>(objective.runningState());
    if (itemAdam != null) {
      runningState.putAll(itemAdam.state());
    }
    TrainingState state = new TrainingState(parameters, optimizer, runningState, n, batchSize, steps,
        schedules.bestParameters());
    TrainingPosition position = checkpoints.restore(state, spec.epochs());
    List<EpochMetrics> history = new java.util.ArrayList<>(schedules.completed(position.history(), steps));
    long globalStep = position.globalStep();
    // The engine's threads for the steps: one when a step's operations are too small to split (StepThreads).
    long widestArray = (long) batchSize * objective.widestPerItem(data.train().columns());
    boolean cpu = Device.cpu().equals(objective.manager().getDevice());
    // Steps cut into slices of rows computed side by side, each on one engine thread, where the objective
    // allows it (StepShards); otherwise one engine thread when a step's operations are too small to split.
    // The count is part of the computation: a resumed run keeps its checkpoint's where the config leaves
    // the count to the machine, so that it continues exactly on a machine with other cores.
    int recorded = spec.shardCount() == 0 && cpu && objective.rowSeparable() ? position.slices() : 0;
    int slices = recorded > 0 ? recorded : StepThreads.slicesFor(spec.shardCount(), batchSize,
        cpu ? Engines.threads() : 1, objective.rowSeparable(), cpu, objective.lossName());
    try (NDManager fitManager = objective.manager().newSubManager();
        DivergenceGuard guard = new DivergenceGuard(parameters, optimizer, runningState, fitManager);
        Minibatches minibatches = Minibatches.of(data.train(), fitManager);
        StepThreads threads = slices > 1 ? StepThreads.sliced() : StepThreads.choose(widestArray, cpu);
        StepShards shards = new StepShards(slices);
        // Stride-1 convolutions by the engine where its gradient is sound here (Convolutions), else im2col.
        Convolutions.StrideOne strideOne = cpu && objective.convolutional() ? threads.probeConvolutions(fitManager) : null) {
      if (slices > 1) {
        listener.slicesChosen(slices, batchSize);
      } else {
        listener.threadsChosen(threads.steps(), threads.engine(), widestArray);
      }
      if (strideOne != null) {
        listener.convolutionsChosen(strideOne.engine());
      }
      Steps run = new Steps(objective, optimizer, parameters, trained, minibatches, fitManager, guard, dynamic, batchSize, n,
          itemAdam, schedules, shards, strideOne != null && strideOne.engine());
      int firstEpoch = position.atEpochEnd(steps) ? position.epoch() + 1 : position.epoch();
      for (int epoch = firstEpoch; epoch <= spec.epochs() && !FitSchedules.stoppedEarly(history); epoch++) {
        double learningRate = schedules.learningRate(epoch, history);
        optimizer.setLearningRate((float) learningRate);
        boolean continuing = epoch == position.epoch() && position.order() != null;
        long[] shuffled = continuing ? position.order() : permutation(n, epoch); // of the trained items 0..n−1
        long[] order = split.rows(shuffled); // as rows of the training split
        int firstStep = continuing ? position.stepsDone() : 0;
        listener.epochStarted(epoch, spec.epochs(), steps);
        double[] sums;
        long items = 0;
        long start = System.nanoTime();
        try (NDManager epochManager = fitManager.newSubManager()) {
          NDArray sumsArray = epochManager.create(continuing ? position.epochSums() : new double[2]);
          guard.startWindow(firstStep, globalStep, sumsArray);
          threads.forSteps();
          for (int step = firstStep; step < steps; step++) {
            run.step(epoch, order, sumsArray, step, globalStep, null);
            globalStep++;
            int itemsDone = Math.min(n, (step + 1) * batchSize); // this epoch's, after this step
            items += itemsDone - step * batchSize;
            // The window's updates are verified before anyone reads or saves what they left.
            boolean read = (step + 1) % readEvery == 0 || step + 1 == steps;
            if (read) {
              run.verifyWindow(epoch, order, sumsArray, step + 1, globalStep);
              double[] running = sumsArray.toDoubleArray();
              listener.stepDone(epoch, step + 1, (running[0] + running[1]) / itemsDone);
            } else {
              listener.stepDone(epoch, step + 1, Double.NaN);
            }
            boolean stop = step + 1 < steps && listener.stopRequested();
            boolean due = checkpoints.everySteps() > 0 && globalStep % checkpoints.everySteps() == 0;
            boolean save = checkpoints.enabled() && step + 1 < steps && (stop || due);
            if ((stop || save) && !read) {
              run.verifyWindow(epoch, order, sumsArray, step + 1, globalStep);
            }
            if (save) {
              Path written = checkpoints.save(state, new TrainingPosition(
                  epoch, step + 1, globalStep, shuffled, sumsArray.toDoubleArray(), List.copyOf(history), slices));
              if (stop) {
                throw new TrainingStoppedException(epoch, step + 1, steps, globalStep, written);
              }
            } else if (stop) {
              throw new TrainingStoppedException(epoch, step + 1, steps, globalStep, null);
            }
          }
          sums = sumsArray.toDoubleArray();
        }
        threads.forEvaluation();
        double seconds = (System.nanoTime() - start) / 1e9;
        ElboReport test = null;
        ElboReport validation = null;
        long evalStart = System.nanoTime();
        if (split.present()) {
          Engines.seed(Engines.fold(validationSeed, epoch));
          validation = objective.evaluate(split.validation());
        }
        if (epoch % spec.evaluateEvery() == 0 || epoch == spec.epochs()) {
          Engines.seed(Engines.fold(noiseSeed, -epoch));
          test = objective.evaluate(data.test());
        }
        double evalSeconds = validation == null && test == null ? 0 : (System.nanoTime() - evalStart) / 1e9;
        EpochMetrics metrics = new EpochMetrics(
            epoch,
            (sums[0] + sums[1]) / n,
            sums[0] / n,
            sums[1] / n,
            test == null ? Double.NaN : test.negativeElbo(),
            test == null ? Double.NaN : test.reconstruction(),
            test == null ? Double.NaN : test.kl(),
            seconds,
            items / seconds,
            evalSeconds,
            learningRate,
            schedules.klWeight(globalStep - 1),
            validation == null ? Double.NaN : validation.negativeElbo(),
            validation == null ? Double.NaN : validation.reconstruction(),
            validation == null ? Double.NaN : validation.kl(),
            false);
        metrics = schedules.afterEpoch(history, metrics); // the best parameters are copied before the checkpoint
        history.add(metrics);
        Path written = null;
        if (checkpoints.enabled()) {
          written = checkpoints.save(state, new TrainingPosition(
              epoch, steps, globalStep, shuffled, sums, List.copyOf(history), slices));
        }
        listener.epochEnded(metrics);
        if (epoch < spec.epochs() && !metrics.stoppedEarly() && listener.stopRequested()) {
          throw new TrainingStoppedException(epoch, steps, steps, globalStep, written);
        }
      }
    }
    schedules.restoreBest(history);
    listener.trainingEnded();
    return history;
  }

  /**
   * The minibatch re-drawn as Bernoulli(x) under dynamic binarization, as it is otherwise; the draws are
   * the engine's, or each row's own inside a {@link RowNoise} scope (a sliced step's).
   */
  private static NDArray binarized(NDArray rows, NDManager stepManager, boolean dynamic) {
    if (!dynamic) {
      return rows;
    }
    NDArray uniform = RowNoise.uniform(stepManager, rows.getShape());
    return uniform.lt(rows).toType(DataType.FLOAT32, false);
  }

  /** What every step of one fit uses: the model, Adam, the parameters, the data and the divergence guard. */
  private final class Steps {
    private final TrainingObjective objective;
    private final ResumableAdam optimizer;
    private final List<Pair<String, Parameter>> parameters; // every one, as saved and guarded
    private final List<Pair<String, Parameter>> trained; // those Adam updates
    private final List<String> trainedNames; // their names, in that order
    private final Minibatches minibatches;
    private final NDManager fitManager;
    private final DivergenceGuard guard;
    private final boolean dynamic;
    private final int batchSize;
    private final int n;
    private final ItemAdam itemAdam; // null when the model has an encoder
    private final FitSchedules schedules;
    private final StepShards shards; // one slice: a step is computed in one piece
    private final boolean engineStrideOne; // the convolution probe's verdict, which the slices' threads follow

    Steps(TrainingObjective objective, ResumableAdam optimizer, List<Pair<String, Parameter>> parameters,
        List<Pair<String, Parameter>> trained, Minibatches minibatches, NDManager fitManager, DivergenceGuard guard,
        boolean dynamic, int batchSize, int n, ItemAdam itemAdam, FitSchedules schedules, StepShards shards,
        boolean engineStrideOne) {
      this.objective = objective;
      this.optimizer = optimizer;
      this.parameters = parameters;
      this.trained = trained;
      this.trainedNames = trained.stream().map(Pair::getKey).toList();
      this.minibatches = minibatches;
      this.fitManager = fitManager;
      this.guard = guard;
      this.dynamic = dynamic;
      this.batchSize = batchSize;
      this.n = n;
      this.itemAdam = itemAdam;
      this.schedules = schedules;
      this.shards = shards;
      this.engineStrideOne = engineStrideOne;
    }

    /**
     * Step {@code step} (0-based) of {@code epoch}, the {@code globalStep}-th (0-based) of the run: its noise
     * and its minibatch depend on these positions only, so a replay repeats it exactly.
     *
     * @param order the epoch's order of the training items, as rows of the training split
     * @param sums the epoch's running reconstruction and KL sums, shape {@code (2)}, added to in place
     * @param check the per-step check of a replay, or null for an unchecked step of a window
     */
    void step(int epoch, long[] order, NDArray sums, int step, long globalStep, DivergenceGuard.StepCheck check) {
      int from = step * batchSize;
      int to = Math.min(n, from + batchSize);
      Engines.seed(Engines.fold(noiseSeed, globalStep));
      try (NDManager stepManager = fitManager.newSubManager()) {
        double klWeight = schedules.unitKlWeight() ? 1.0 : schedules.klWeight(globalStep);
        ItemAdam.Rows rows = itemAdam == null ? null : itemAdam.gather(order, from, to, stepManager);
        NDArray loss = shards.count() > 1
            ? sliced(order, from, to, stepManager, sums, globalStep, klWeight)
            : whole(minibatches.rows(order, from, to, stepManager), rows, stepManager, sums, klWeight);
        List<NDArray> weights = new java.util.ArrayList<>(trained.size());
        List<NDArray> gradients = new java.util.ArrayList<>(trained.size());
        try {
          for (Pair<String, Parameter> entry : trained) {
            weights.add(entry.getValue().getArray());
            gradients.add(entry.getValue().getArray().getGradient());
          }
          if (check == null) {
            guard.record(loss, stepManager);
          } else {
            check.beforeUpdate(epoch, step + 1, loss, trained, gradients, stepManager);
          }
          optimizer.beginStep();
          optimizer.updateAll(trainedNames, weights, gradients, shards.partner());
          if (rows != null) {
            itemAdam.update(rows, stepManager);
          }
        } finally {
          gradients.forEach(NDArray::close);
        }
      }
    }

    /**
     * The step's minibatch in one piece: its loss, with its gradient added into the parameters'.
     *
     * @param batch shape {@code (n, D)}, before binarization
     * @param rows the per-item posteriors' rows of the step, or null
     * @param sums the epoch's reconstruction and KL sums, shape {@code (2)}, added to in place
     * @return the loss, a scalar without gradient
     */
    private NDArray whole(NDArray batch, ItemAdam.Rows rows, NDManager stepManager, NDArray sums, double klWeight) {
      NDArray input = binarized(batch, stepManager, dynamic);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector();
          TrainingMode.Scope training = TrainingMode.training(); // batch norm's batch statistics, dropout on
          PerItemFamily.Binding binding = rows == null ? null : itemAdam.bind(rows)) {
        ElboEstimate estimate = objective.estimate(input, klWeight);
        collector.backward(estimate.loss());
        sums.addi(termSums(estimate));
        return estimate.loss().stopGradient();
      }
    }

    /**
     * The step's minibatch cut into slices of rows ({@link StepShards}), computed side by side: each slice's
     * loss, weighted by its share of the rows, is differentiated on its own thread, and the engine adds the
     * gradients. Each row draws its noise (and its dynamic binarization) from a stream of its own, seeded
     * by the step and the item ({@link RowNoise}), so a row's draws do not depend on the slice or thread.
     *
     * @param order the epoch's order of the training items
     * @param sums the epoch's reconstruction and KL sums, shape {@code (2)}, added to in place, slice by slice
     * @return the loss, the sum of the slices' weighted losses, a scalar without gradient
     */
    private NDArray sliced(long[] order, int from, int to, NDManager stepManager, NDArray sums, long globalStep,
        double klWeight) {
      long stepSeed = Engines.fold(noiseSeed, globalStep);
      int count = Math.min(shards.count(), to - from);
      int[] bounds = StepShards.bounds(from, to, count);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        List<NDArray[]> slices = shards.run(count, s -> slice(collector, order, bounds[s], bounds[s + 1],
            (double) (bounds[s + 1] - bounds[s]) / (to - from), stepSeed, klWeight, stepManager));
        NDArray[] losses = new NDArray[count];
        for (int s = 0; s < count; s++) {
          losses[s] = slices.get(s)[0];
          sums.addi(slices.get(s)[1]);
        }
        return count == 1 ? losses[0] : NDArrays.add(losses);
      }
    }

    /**
     * One slice of a sliced step, on the calling thread, in a manager of its own that it closes itself (so
     * that a worker frees its slice's arrays side by side with the training thread).
     *
     * @param share the slice's rows over the step's
     * @param stepManager where the two results live
     * @return its weighted loss (a scalar without gradient) and its reconstruction and KL sums, shape {@code (2)}
     */
    private NDArray[] slice(GradientCollector collector, long[] order, int from, int to, double share, long stepSeed,
        double klWeight, NDManager stepManager) {
      long[] seeds = new long[to - from];
      for (int i = from; i < to; i++) {
        seeds[i - from] = RowNoise.rowSeed(stepSeed, order[i]);
      }
      try (NDManager manager = stepManager.newSubManager();
          RowNoise.Scope noise = RowNoise.perRow(seeds);
          TrainingMode.Scope training = TrainingMode.training();
          Convolutions.StrideOne strideOne = Convolutions.follow(engineStrideOne)) {
        NDArray batch = binarized(minibatches.rows(order, from, to, manager), manager, dynamic);
        ElboEstimate estimate = objective.estimate(batch, klWeight);
        NDArray weighted = share == 1.0 ? estimate.loss() : NdMath.times(estimate.loss(), share);
        collector.backward(weighted);
        NDArray[] results = {weighted.stopGradient(), termSums(estimate)};
        for (NDArray result : results) {
          result.attach(stepManager);
        }
        return results;
      }
    }

    /**
     * Verifies the window that ends after {@code stepsDone} steps of {@code epoch} and, unless the epoch is
     * over (the next epoch starts its own window), starts the next; when the window went wrong, puts back
     * its start and replays its steps with the per-step check, which throws {@link
     * TrainingDivergedException} at the first step that fails with the parameters from before it.
     */
    void verifyWindow(int epoch, long[] order, NDArray sums, int stepsDone, long globalStep) {
      if (!guard.windowHealthy()) {
        guard.restoreWindowStart(sums);
        try (DivergenceGuard.StepCheck check = new DivergenceGuard.StepCheck(parameters, fitManager)) {
          long replayed = guard.windowGlobalStep();
          for (int step = guard.windowStepsDone(); step < stepsDone; step++, replayed++) {
            step(epoch, order, sums, step, replayed, check);
          }
          check.requireFinite(); // the window's last update
        }
      }
      if ((long) stepsDone * batchSize < n) {
        guard.startWindow(stepsDone, globalStep, sums);
      }
    }
  }

  /** @return the estimate's reconstruction and KL sums over its rows, float64, shape {@code (2)} */
  private static NDArray termSums(ElboEstimate estimate) {
    return estimate.reconstruction().sum().stack(estimate.kl().sum()).toType(DataType.FLOAT64, false);
  }

  static TrainingDivergedException diverged(int epoch, int step, String what) {
    return new TrainingDivergedException("training diverged at epoch " + epoch + ", step " + step + ": " + what
        + "; the parameters before this step are kept (lower training.learning_rate, or set"
        + " training.clip_gradient)", epoch, step);
  }

  /** @return the order of epoch {@code epoch}, a function of the seed and the epoch only. */
  private long[] permutation(int n, int epoch) {
    SplittableRandom shuffleRandom = new SplittableRandom(Engines.fold(shuffleSeed, epoch));
    long[] order = new long[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = shuffleRandom.nextInt(i + 1);
      long t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
