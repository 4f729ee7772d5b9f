package io.vi4j.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.estimator.ElboEstimate;
import io.vi4j.api.estimator.GradientEstimator;
import io.vi4j.api.learn.Learner;
import io.vi4j.core.config.TrainingSpec;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.core.eval.ElboReport;
import io.vi4j.core.run.AssembledModel;
import java.nio.FloatBuffer;
import java.util.List;
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
 */
public final class SviTrainer implements Learner<AssembledModel, List<EpochMetrics>> {
  private final TrainingSpec spec;
  private final GradientEstimator estimator;
  private final Evaluator evaluator;
  private final SplittableRandom shuffleRandom;
  private final int readEvery;

  /**
   * @param spec epochs, batch size and Adam's settings
   * @param estimator the gradient estimator
   * @param evaluator evaluates the test −ELBO after epochs
   * @param shuffleSeed seeds the minibatch order
   */
  public SviTrainer(TrainingSpec spec, GradientEstimator estimator, Evaluator evaluator, long shuffleSeed) {
    this(spec, estimator, evaluator, shuffleSeed, 50);
  }

  /** As above, reading the running loss back every {@code readEvery} steps. */
  public SviTrainer(
      TrainingSpec spec, GradientEstimator estimator, Evaluator evaluator, long shuffleSeed, int readEvery) {
    this.spec = spec;
    this.estimator = estimator;
    this.evaluator = evaluator;
    this.shuffleRandom = new SplittableRandom(shuffleSeed);
    this.readEvery = Math.max(1, readEvery);
  }

  /** @return a new Adam optimizer with this trainer's settings (PyTorch's defaults unless configured). */
  public Optimizer newOptimizer() {
    Adam.Builder adam = Adam.builder()
        .optLearningRateTracker(Tracker.fixed(spec.learningRate().floatValue()))
        .optBeta1(spec.beta1().floatValue())
        .optBeta2(spec.beta2().floatValue())
        .optEpsilon(spec.epsilon().floatValue());
    if (spec.clipGradient() > 0) {
      adam.optClipGrad(spec.clipGradient().floatValue());
    }
    return adam.build();
  }

  /** Trains for the configured number of epochs, telling no one. */
  @Override
  public List<EpochMetrics> fit(AssembledModel model, DataSplits data) {
    return fit(model, data, new TrainingListener() {});
  }

  /**
   * Trains for the configured number of epochs.
   *
   * @param model changed in place
   * @param data the training split is fitted; the test split is evaluated after each
   *     {@code evaluate_every} epochs
   * @param listener hears progress
   * @return the figures of every epoch
   */
  public List<EpochMetrics> fit(AssembledModel model, DataSplits data, TrainingListener listener) {
    Optimizer optimizer = newOptimizer();
    List<Pair<String, Parameter>> parameters = new java.util.ArrayList<>();
    model.model().parameters().forEach(parameters::add);
    estimator.parameters().forEach(p -> parameters.add(new Pair<>("estimator." + p.getKey(), p.getValue())));
    Dataset train = data.train();
    boolean dynamic = data.binarization() == Binarization.DYNAMIC;
    int n = train.rows();
    int batchSize = Math.min(spec.batchSize(), n);
    int steps = (n + batchSize - 1) / batchSize;
    List<EpochMetrics> history = new java.util.ArrayList<>();
    try (NDManager fitManager = model.manager().newSubManager()) {
      NDArray trainArray = fitManager.create(FloatBuffer.wrap(train.values()), new Shape(n, train.columns()));
      for (int epoch = 1; epoch <= spec.epochs(); epoch++) {
        listener.epochStarted(epoch, spec.epochs(), steps);
        double[] sums;
        long start = System.nanoTime();
        try (NDManager epochManager = fitManager.newSubManager()) {
          NDArray order = epochManager.create(permutation(n));
          NDArray sumsArray = epochManager.zeros(new Shape(2), DataType.FLOAT64);
          for (int step = 0; step < steps; step++) {
            int from = step * batchSize;
            int to = Math.min(n, from + batchSize);
            try (NDManager stepManager = fitManager.newSubManager()) {
              NDArray index = order.get(stepManager, new NDIndex(from + ":" + to));
              NDArray batch = batch(trainArray, index, stepManager, dynamic);
              step(model, optimizer, parameters, batch, sumsArray, stepManager, epoch, step + 1);
            }
            if ((step + 1) % readEvery == 0 || step + 1 == steps) {
              double[] running = sumsArray.toDoubleArray();
              listener.stepDone(epoch, step + 1, (running[0] + running[1]) / to);
            } else {
              listener.stepDone(epoch, step + 1, Double.NaN);
            }
          }
          sums = sumsArray.toDoubleArray();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        ElboReport test = null;
        double evalSeconds = 0;
        if (epoch % spec.evaluateEvery() == 0 || epoch == spec.epochs()) {
          long evalStart = System.nanoTime();
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
            n / seconds,
            evalSeconds);
        history.add(metrics);
        listener.epochEnded(metrics);
      }
    }
    return history;
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
   * One step. Before the update, the loss and the sum of every gradient are read back (one host
   * transfer of two numbers): a non-finite value stops training with {@link TrainingDivergedException},
   * leaving the parameters as they were before the step.
   */
  private void step(
      AssembledModel model,
      Optimizer optimizer,
      List<Pair<String, Parameter>> parameters,
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
      double[] check = loss.toType(DataType.FLOAT64, false).stack(gradientSum).toDoubleArray();
      if (!Double.isFinite(check[0])) {
        throw diverged(epoch, stepInEpoch, "the loss is " + check[0]);
      }
      if (!Double.isFinite(check[1])) {
        throw diverged(epoch, stepInEpoch, "the gradient of " + firstNonFinite(parameters, gradients, stepManager)
            + " is not finite");
      }
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

  private static TrainingDivergedException diverged(int epoch, int step, String what) {
    return new TrainingDivergedException("training diverged at epoch " + epoch + ", step " + step + ": " + what
        + "; the parameters before this step are kept (lower training.learning_rate, or set"
        + " training.clip_gradient)", epoch, step);
  }

  private long[] permutation(int n) {
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
