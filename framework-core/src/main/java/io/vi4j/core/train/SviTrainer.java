package io.vi4j.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
import io.vi4j.core.checkpoint.Checkpoint;
import io.vi4j.core.checkpoint.HostTensor;
import io.vi4j.core.checkpoint.TrainerState;
import io.vi4j.core.config.TrainingSpec;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.core.eval.ElboReport;
import io.vi4j.core.run.AssembledModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
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
 * <p>Native memory: the training split is copied to the device once; each step runs in its own child
 * manager (the batch is gathered into it, the noise is drawn in it, gradient handles are closed), so the
 * number of live arrays does not grow with the number of steps. The epoch's running sums stay on the
 * device and are read back every {@code readEvery} steps only.
 *
 * <p>Reproducibility and resumption: the engine's random stream is re-seeded at every step from
 * {@code (seed, global step)} and before every evaluation from {@code (seed, epoch)}, and each epoch's
 * order is drawn from {@code (seed, epoch)}; so the noise depends on the position in the run only, and a
 * run resumed from a {@link io.vi4j.core.checkpoint.Checkpoint} (parameters, Adam's moments and step
 * count, the estimator's running state, the epoch's order and running sums) ends with the same
 * parameters, bit for bit, as one that was never interrupted (on the same device and thread settings).
 */
public final class SviTrainer implements Learner<AssembledModel, List<EpochMetrics>> {
  private final TrainingSpec spec;
  private final GradientEstimator estimator;
  private final Evaluator evaluator;
  private final long shuffleSeed;
  private final long noiseSeed;
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

  /** Trains for the configured number of epochs, telling no one. */
  @Override
  public List<EpochMetrics> fit(AssembledModel model, DataSplits data) {
    return fit(model, data, new TrainingListener() {});
  }

  /** Trains for the configured number of epochs without checkpoints. */
  public List<EpochMetrics> fit(AssembledModel model, DataSplits data, TrainingListener listener) {
    return fit(model, data, listener, Checkpointing.none());
  }

  /**
   * Trains for the configured number of epochs, or for what remains of them after a checkpoint.
   *
   * @param model changed in place
   * @param data the training split is fitted; the test split is evaluated after each
   *     {@code evaluate_every} epochs
   * @param listener hears progress
   * @param checkpointing where to write checkpoints, and the one to resume from
   * @return the figures of every epoch (with a resumed run, those of the checkpoint's epochs first)
   * @throws IllegalArgumentException when the checkpoint to resume from does not fit the model, the data
   *     or the config
   * @throws UncheckedIOException when a checkpoint cannot be written
   */
  public List<EpochMetrics> fit(
      AssembledModel model, DataSplits data, TrainingListener listener, Checkpointing checkpointing) {
    ResumableAdam optimizer = newOptimizer(model.manager());
    List<Pair<String, Parameter>> parameters = new java.util.ArrayList<>();
    model.model().parameters().forEach(parameters::add);
    estimator.parameters().forEach(p -> parameters.add(new Pair<>("estimator." + p.getKey(), p.getValue())));
    Map<String, NDArray> estimatorState = estimator.runningState();
    Dataset train = data.train();
    boolean dynamic = data.binarization() == Binarization.DYNAMIC;
    int n = train.rows();
    int batchSize = Math.min(spec.batchSize(), n);
    int steps = (n + batchSize - 1) / batchSize;
    Position position = checkpointing.resumeFrom() == null
        ? Position.START
        : restore(checkpointing, model, parameters, optimizer, estimatorState, n, batchSize, steps);
    List<EpochMetrics> history = new java.util.ArrayList<>(position.history());
    long globalStep = position.globalStep();
    try (NDManager fitManager = model.manager().newSubManager()) {
      NDArray trainArray = fitManager.create(FloatBuffer.wrap(train.values()), new Shape(n, train.columns()));
      ParameterGuard guard = new ParameterGuard(parameters, fitManager);
      int firstEpoch = position.atEpochEnd(steps) ? position.epoch() + 1 : position.epoch();
      for (int epoch = firstEpoch; epoch <= spec.epochs(); epoch++) {
        boolean continuing = epoch == position.epoch() && position.order() != null;
        long[] order = continuing ? position.order() : permutation(n, epoch);
        int firstStep = continuing ? position.stepsDone() : 0;
        listener.epochStarted(epoch, spec.epochs(), steps);
        double[] sums;
        long items = 0;
        long start = System.nanoTime();
        try (NDManager epochManager = fitManager.newSubManager()) {
          NDArray orderArray = epochManager.create(order);
          NDArray sumsArray = epochManager.create(continuing ? position.epochSums() : new double[2]);
          for (int step = firstStep; step < steps; step++) {
            int from = step * batchSize;
            int to = Math.min(n, from + batchSize);
            Engines.seed(Engines.fold(noiseSeed, globalStep));
            try (NDManager stepManager = fitManager.newSubManager()) {
              NDArray index = orderArray.get(stepManager, new NDIndex(from + ":" + to));
              NDArray batch = batch(trainArray, index, stepManager, dynamic);
              step(model, optimizer, parameters, guard, batch, sumsArray, stepManager, epoch, step + 1);
            }
            globalStep++;
            items += to - from;
            if ((step + 1) % readEvery == 0 || step + 1 == steps) {
              double[] running = sumsArray.toDoubleArray();
              listener.stepDone(epoch, step + 1, (running[0] + running[1]) / to);
            } else {
              listener.stepDone(epoch, step + 1, Double.NaN);
            }
            boolean stop = step + 1 < steps && listener.stopRequested();
            if (checkpointing.enabled() && step + 1 < steps && (stop || checkpointing.everySteps() > 0
                && globalStep % checkpointing.everySteps() == 0)) {
              Path written = save(checkpointing, guard, snapshot(parameters, optimizer, estimatorState, new TrainerState(
                  globalStep, epoch, step + 1, steps, n, batchSize, optimizer.step(), sumsArray.toDoubleArray(),
                  checkpointing.configDigest(), List.copyOf(history)), order));
              if (stop) {
                throw new TrainingStoppedException(epoch, step + 1, steps, globalStep, written);
              }
            } else if (stop) {
              guard.requireFinite();
              throw new TrainingStoppedException(epoch, step + 1, steps, globalStep, null);
            }
          }
          sums = sumsArray.toDoubleArray();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        guard.requireFinite(); // the epoch's last update, before it is evaluated or saved
        ElboReport test = null;
        double evalSeconds = 0;
        if (epoch % spec.evaluateEvery() == 0 || epoch == spec.epochs()) {
          long evalStart = System.nanoTime();
          Engines.seed(Engines.fold(noiseSeed, -epoch));
          test = evaluator.negativeElbo(model, data.test());
          evalSeconds = (System.nanoTime() - evalStart) / 1e9;
        }
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
            evalSeconds);
        history.add(metrics);
        Path written = null;
        if (checkpointing.enabled()) {
          written = save(checkpointing, guard, snapshot(parameters, optimizer, estimatorState, new TrainerState(
              globalStep, epoch, steps, steps, n, batchSize, optimizer.step(), sums,
              checkpointing.configDigest(), List.copyOf(history)), order));
        }
        listener.epochEnded(metrics);
        if (epoch < spec.epochs() && listener.stopRequested()) {
          throw new TrainingStoppedException(epoch, steps, steps, globalStep, written);
        }
      }
    }
    listener.trainingEnded();
    return history;
  }

  /** Where training starts: an epoch, the steps of it done, and (within an epoch) its order and sums. */
  private record Position(
      int epoch, int stepsDone, long globalStep, long[] order, double[] epochSums, List<EpochMetrics> history) {
    static final Position START = new Position(1, 0, 0, null, null, List.of());

    boolean atEpochEnd(int steps) {
      return stepsDone == steps;
    }
  }

  private static Checkpoint snapshot(
      List<Pair<String, Parameter>> parameters,
      ResumableAdam optimizer,
      Map<String, NDArray> estimatorState,
      TrainerState trainer,
      long[] order) {
    Map<String, HostTensor> tensors = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : parameters) {
      tensors.put(Checkpoint.PARAMETER + p.getKey(), HostTensor.of(p.getValue().getArray()));
    }
    optimizer.firstMoments().forEach((name, m) -> tensors.put(Checkpoint.ADAM_FIRST + name, HostTensor.of(m)));
    optimizer.secondMoments().forEach((name, v) -> tensors.put(Checkpoint.ADAM_SECOND + name, HostTensor.of(v)));
    estimatorState.forEach((name, a) -> tensors.put(Checkpoint.ESTIMATOR_STATE + name, HostTensor.of(a)));
    tensors.put(Checkpoint.DATA_ORDER, HostTensor.ofLongs(order));
    return new Checkpoint(trainer, tensors);
  }

  /**
   * Writes a checkpoint, unless its parameters are not finite (then the last update diverged: the
   * parameters before it are put back and training stops).
   *
   * @return the checkpoint's directory
   */
  private static Path save(Checkpointing checkpointing, ParameterGuard guard, Checkpoint checkpoint) {
    for (var entry : checkpoint.tensors().entrySet()) {
      if (entry.getKey().startsWith(Checkpoint.PARAMETER) && entry.getValue().nonFiniteCount() > 0) {
        guard.requireFinite(); // restores and throws
      }
    }
    try {
      return checkpointing.store().save(checkpoint);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a checkpoint into " + checkpointing.store().directory()
          + ": " + e.getMessage(), e);
    }
  }

  /** Puts the checkpoint's state into the model, the optimizer and the estimator; checks it fits first. */
  private Position restore(
      Checkpointing checkpointing,
      AssembledModel model,
      List<Pair<String, Parameter>> parameters,
      ResumableAdam optimizer,
      Map<String, NDArray> estimatorState,
      int n,
      int batchSize,
      int steps) {
    Checkpoint checkpoint = checkpointing.resumeFrom();
    TrainerState t = checkpoint.trainer();
    String at = "checkpoint at step " + t.globalStep() + ": ";
    if (!checkpointing.configDigest().isEmpty() && !checkpointing.configDigest().equals(t.configDigest())) {
      throw new IllegalArgumentException(at + "written by a run of another config (config digest "
          + t.configDigest() + ", this config's is " + checkpointing.configDigest() + "); was config.yaml edited?");
    }
    if (t.trainItems() != n || t.batchSize() != batchSize || t.stepsPerEpoch() != steps) {
      throw new IllegalArgumentException(at + "written for " + t.trainItems() + " training items in batches of "
          + t.batchSize() + " (" + t.stepsPerEpoch() + " steps per epoch), but the data and config give " + n
          + " items in batches of " + batchSize + " (" + steps + ")");
    }
    boolean atEnd = t.atEpochEnd();
    if (t.epoch() < 1 || t.epoch() > spec.epochs() || t.stepsDone() < 0 || t.stepsDone() > steps
        || t.globalStep() != (long) (t.epoch() - 1) * steps + t.stepsDone() || t.adamStep() != t.globalStep()
        || t.metrics() == null || t.metrics().size() != t.epoch() - (atEnd ? 0 : 1)
        || t.epochSums() == null || t.epochSums().length != 2) {
      throw new IllegalArgumentException(at + "inconsistent position (epoch " + t.epoch() + " of " + spec.epochs()
          + ", " + t.stepsDone() + " of " + steps + " steps done, Adam step " + t.adamStep() + ", "
          + (t.metrics() == null ? 0 : t.metrics().size()) + " epochs of metrics)");
    }
    try {
      java.util.Set<String> expected = new java.util.TreeSet<>();
      for (Pair<String, Parameter> p : parameters) {
        expected.add(p.getKey());
        checkpoint.tensor(Checkpoint.PARAMETER + p.getKey())
            .copyInto(p.getValue().getArray(), at + "parameter '" + p.getKey() + "'");
      }
      java.util.Set<String> held = names(checkpoint, Checkpoint.PARAMETER);
      if (!held.equals(expected)) {
        throw new IllegalArgumentException(at + "holds parameters " + held + ", the model built from the config has "
            + expected);
      }
      java.util.Set<String> moments = names(checkpoint, Checkpoint.ADAM_FIRST);
      if (!moments.equals(names(checkpoint, Checkpoint.ADAM_SECOND))
          || !(t.adamStep() == 0 ? moments.isEmpty() : moments.equals(expected))) {
        throw new IllegalArgumentException(at + "Adam's moments name " + moments + ", expected " + expected);
      }
      try (NDManager scratch = model.manager().newSubManager()) {
        Map<String, NDArray> first = new LinkedHashMap<>();
        Map<String, NDArray> second = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : parameters) {
          if (moments.contains(p.getKey())) {
            NDArray weight = p.getValue().getArray();
            first.put(p.getKey(), moment(checkpoint, Checkpoint.ADAM_FIRST, p.getKey(), weight, scratch, at));
            second.put(p.getKey(), moment(checkpoint, Checkpoint.ADAM_SECOND, p.getKey(), weight, scratch, at));
          }
        }
        optimizer.restore(t.adamStep(), first, second);
      }
      if (!names(checkpoint, Checkpoint.ESTIMATOR_STATE).equals(new java.util.TreeSet<>(estimatorState.keySet()))) {
        throw new IllegalArgumentException(at + "holds estimator state " + names(checkpoint, Checkpoint.ESTIMATOR_STATE)
            + ", the estimator built from the config keeps " + estimatorState.keySet());
      }
      for (Map.Entry<String, NDArray> e : estimatorState.entrySet()) {
        checkpoint.tensor(Checkpoint.ESTIMATOR_STATE + e.getKey())
            .copyInto(e.getValue(), at + "estimator state '" + e.getKey() + "'");
      }
      long[] order = atEnd ? null : checkPermutation(dataOrder(checkpoint, at), n, at);
      return new Position(t.epoch(), t.stepsDone(), t.globalStep(), order, t.epochSums().clone(),
          List.copyOf(t.metrics()));
    } catch (io.vi4j.core.checkpoint.CheckpointException e) {
      throw new IllegalArgumentException(at + e.getMessage(), e);
    }
  }

  private static NDArray moment(
      Checkpoint checkpoint, String prefix, String name, NDArray weight, NDManager scratch, String at)
      throws io.vi4j.core.checkpoint.CheckpointException {
    HostTensor saved = checkpoint.tensor(prefix + name);
    NDArray array = scratch.zeros(weight.getShape(), weight.getDataType());
    saved.copyInto(array, at + "Adam moment '" + prefix + name + "'");
    return array;
  }

  private static java.util.Set<String> names(Checkpoint checkpoint, String prefix) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    for (String key : checkpoint.tensors().keySet()) {
      if (key.startsWith(prefix)) {
        names.add(key.substring(prefix.length()));
      }
    }
    return names;
  }

  /** @return the checkpoint's data order, refused (naming the checkpoint) unless it is an int64 vector. */
  private static long[] dataOrder(Checkpoint checkpoint, String at) throws io.vi4j.core.checkpoint.CheckpointException {
    HostTensor order = checkpoint.tensor(Checkpoint.DATA_ORDER);
    if (order.dataType() != ai.djl.ndarray.types.DataType.INT64 || order.shape().length != 1) {
      throw new IllegalArgumentException(at + "the data order is " + order + ", not an int64 vector");
    }
    return order.toLongs();
  }

  private static long[] checkPermutation(long[] order, int n, String at) {
    boolean[] seen = new boolean[n];
    if (order.length != n) {
      throw new IllegalArgumentException(at + "the data order has " + order.length + " items, the data " + n);
    }
    for (long i : order) {
      if (i < 0 || i >= n || seen[(int) i]) {
        throw new IllegalArgumentException(at + "the data order is not a permutation of 0.." + (n - 1));
      }
      seen[(int) i] = true;
    }
    return order;
  }

  /** The minibatch, gathered into the step's manager; re-drawn as Bernoulli(x) under dynamic binarization. */
  private static NDArray batch(NDArray trainArray, NDArray index, NDManager stepManager, boolean dynamic) {
    NDArray rows = trainArray.get(stepManager, new NDIndex("{}", index));
    if (!dynamic) {
      return rows;
    }
    NDArray uniform = stepManager.randomUniform(0f, 1f, rows.getShape());
    return uniform.lt(rows).toType(DataType.FLOAT32, false);
  }

  /**
   * One step. Before the update, the loss, the sum of every gradient and the sum of every parameter (as
   * the previous step's update left them) are read back, one host transfer of three numbers: a non-finite
   * loss or gradient stops training with {@link TrainingDivergedException} before this step's update is
   * applied; non-finite parameters mean the previous step's update overflowed, and the parameters from
   * before it are put back first. Either way the parameters left are finite and are those before the
   * update that failed.
   */
  private void step(
      AssembledModel model,
      ResumableAdam optimizer,
      List<Pair<String, Parameter>> parameters,
      ParameterGuard guard,
      NDArray batch,
      NDArray sums,
      NDManager stepManager,
      int epoch,
      int stepInEpoch) {
    NDArray loss;
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      ElboEstimate estimate = estimator.estimate(model.model(), batch);
      collector.backward(estimate.loss());
      loss = estimate.loss().stopGradient();
      NDArray terms = estimate.reconstruction().sum().stack(estimate.kl().sum()).toType(DataType.FLOAT64, false);
      sums.addi(terms);
    }
    List<NDArray> gradients = new java.util.ArrayList<>(parameters.size());
    try {
      NDArray gradientSum = stepManager.zeros(new Shape(), DataType.FLOAT64);
      for (Pair<String, Parameter> entry : parameters) {
        NDArray gradient = entry.getValue().getArray().getGradient();
        gradients.add(gradient);
        NDArray sum = gradient.sum();
        stepManager.attachAll(sum); // a result of a gradient lands on the parameter's manager otherwise
        gradientSum.addi(sum.toType(DataType.FLOAT64, false));
      }
      double[] check = NDArrays.stack(new NDList(
          loss.toType(DataType.FLOAT64, false), gradientSum, guard.parameterSum(stepManager))).toDoubleArray();
      if (!Double.isFinite(check[2])) {
        guard.requireFinite(); // restores the parameters before the last update and throws
      }
      if (!Double.isFinite(check[0])) {
        throw diverged(epoch, stepInEpoch, "the loss is " + check[0]);
      }
      if (!Double.isFinite(check[1])) {
        throw diverged(epoch, stepInEpoch, "the gradient of " + firstNonFinite(parameters, gradients, stepManager)
            + " is not finite");
      }
      guard.remember(epoch, stepInEpoch);
      optimizer.beginStep();
      for (int i = 0; i < parameters.size(); i++) {
        optimizer.update(parameters.get(i).getKey(), parameters.get(i).getValue().getArray(), gradients.get(i));
      }
    } finally {
      gradients.forEach(NDArray::close);
    }
  }

  private static String firstNonFinite(
      List<Pair<String, Parameter>> parameters, List<NDArray> gradients, NDManager stepManager) {
    for (int i = 0; i < gradients.size(); i++) {
      NDArray partial = gradients.get(i).sum();
      stepManager.attachAll(partial);
      if (!Float.isFinite(partial.getFloat())) {
        return "parameter '" + parameters.get(i).getKey() + "'";
      }
    }
    return "a parameter";
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
