package io.vi4j.core.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.vi4j.core.train.TrainingCheckpoints;
import io.vi4j.core.train.TrainingPosition;
import io.vi4j.core.train.TrainingState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainer's checkpoints on disk: takes snapshots of the training state into a {@link CheckpointStore}
 * and restores one, after checking that it was written for this config, these data and this model.
 *
 * @param store where checkpoints are written, or null for none
 * @param everySteps write one every this many steps (over the whole run), besides each epoch's end; 0 for
 *     epoch ends only
 * @param configDigest identifies the run's resolved config; a checkpoint of another config is refused
 * @param resumeFrom the checkpoint to continue from, or null to start afresh
 */
public record Checkpointing(CheckpointStore store, int everySteps, String configDigest, Checkpoint resumeFrom)
    implements TrainingCheckpoints {

  /** @return no checkpoints, starting afresh. */
  public static Checkpointing none() {
    return new Checkpointing(null, 0, "", null);
  }

  /** Validates. */
  public Checkpointing {
    if (everySteps < 0) {
      throw new IllegalArgumentException("everySteps must be ≥ 0, got " + everySteps);
    }
    configDigest = configDigest == null ? "" : configDigest;
  }

  /** @return whether checkpoints are written. */
  @Override
  public boolean enabled() {
    return store != null;
  }

  @Override
  public Path save(TrainingState state, TrainingPosition position) {
    TrainerState trainer = new TrainerState(position.globalStep(), position.epoch(), position.stepsDone(),
        state.stepsPerEpoch(), state.items(), state.batchSize(), state.optimizer().step(), position.epochSums(),
        configDigest, position.history(), position.slices() > 0 ? position.slices() : null);
    Map<String, HostTensor> tensors = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : state.parameters()) {
      tensors.put(Checkpoint.PARAMETER + p.getKey(), HostTensor.of(p.getValue().getArray()));
    }
    state.optimizer().firstMoments().forEach((name, m) -> tensors.put(Checkpoint.ADAM_FIRST + name, HostTensor.of(m)));
    state.optimizer().secondMoments().forEach((name, v) -> tensors.put(Checkpoint.ADAM_SECOND + name, HostTensor.of(v)));
    state.estimatorState().forEach((name, a) -> tensors.put(Checkpoint.ESTIMATOR_STATE + name, HostTensor.of(a)));
    state.bestParameters().forEach((name, a) -> tensors.put(Checkpoint.BEST_PARAMETER + name, HostTensor.of(a)));
    tensors.put(Checkpoint.DATA_ORDER, HostTensor.ofLongs(position.order()));
    try {
      return store.save(new Checkpoint(trainer, tensors));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a checkpoint into " + store.directory() + ": " + e.getMessage(), e);
    }
  }

  /** Puts the checkpoint's state into the model, the optimizer and the estimator; checks it fits first. */
  @Override
  public TrainingPosition restore(TrainingState state, int epochs) {
    if (resumeFrom == null) {
      return TrainingPosition.START;
    }
    List<Pair<String, Parameter>> parameters = state.parameters();
    Map<String, NDArray> estimatorState = state.estimatorState();
    int n = state.items();
    int batchSize = state.batchSize();
    int steps = state.stepsPerEpoch();
    Checkpoint checkpoint = resumeFrom;
    TrainerState t = checkpoint.trainer();
    String at = "checkpoint at step " + t.globalStep() + ": ";
    if (!configDigest.isEmpty() && !configDigest.equals(t.configDigest())) {
      throw new IllegalArgumentException(at + "written by a run of another config (config digest "
          + t.configDigest() + ", this config's is " + configDigest + "); was config.yaml edited?");
    }
    if (t.trainItems() != n || t.batchSize() != batchSize || t.stepsPerEpoch() != steps) {
      throw new IllegalArgumentException(at + "written for " + t.trainItems() + " training items in batches of "
          + t.batchSize() + " (" + t.stepsPerEpoch() + " steps per epoch), but the data and config give " + n
          + " items in batches of " + batchSize + " (" + steps + ")");
    }
    boolean atEnd = t.atEpochEnd();
    if (t.epoch() < 1 || t.epoch() > epochs || t.stepsDone() < 0 || t.stepsDone() > steps
        || t.globalStep() != (long) (t.epoch() - 1) * steps + t.stepsDone() || t.adamStep() != t.globalStep()
        || t.metrics() == null || t.metrics().size() != t.epoch() - (atEnd ? 0 : 1)
        || t.epochSums() == null || t.epochSums().length != 2) {
      throw new IllegalArgumentException(at + "inconsistent position (epoch " + t.epoch() + " of " + epochs
          + ", " + t.stepsDone() + " of " + steps + " steps done, Adam step " + t.adamStep() + ", "
          + (t.metrics() == null ? 0 : t.metrics().size()) + " epochs of metrics)");
    }
    if (t.slices() != null && (t.slices() < 1 || t.slices() > batchSize)) {
      throw new IllegalArgumentException(at + "steps cut into " + t.slices() + " slices, but a step holds "
          + batchSize + " items");
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
      java.util.Set<String> trained = new java.util.TreeSet<>(); // Adam's: batch norm's running statistics have none
      parameters.stream().filter(p -> p.getValue().requiresGradient()).forEach(p -> trained.add(p.getKey()));
      java.util.Set<String> moments = names(checkpoint, Checkpoint.ADAM_FIRST);
      if (!moments.equals(names(checkpoint, Checkpoint.ADAM_SECOND))
          || !(t.adamStep() == 0 ? moments.isEmpty() : moments.equals(trained))) {
        throw new IllegalArgumentException(at + "Adam's moments name " + moments + ", expected " + trained);
      }
      try (NDManager scratch = firstManager(parameters).newSubManager()) {
        Map<String, NDArray> first = new LinkedHashMap<>();
        Map<String, NDArray> second = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : parameters) {
          if (moments.contains(p.getKey())) {
            NDArray weight = p.getValue().getArray();
            first.put(p.getKey(), moment(checkpoint, Checkpoint.ADAM_FIRST, p.getKey(), weight, scratch, at));
            second.put(p.getKey(), moment(checkpoint, Checkpoint.ADAM_SECOND, p.getKey(), weight, scratch, at));
          }
        }
        state.optimizer().restore(t.adamStep(), first, second);
      }
      if (!names(checkpoint, Checkpoint.ESTIMATOR_STATE).equals(new java.util.TreeSet<>(estimatorState.keySet()))) {
        throw new IllegalArgumentException(at + "holds estimator state " + names(checkpoint, Checkpoint.ESTIMATOR_STATE)
            + ", the estimator built from the config keeps " + estimatorState.keySet());
      }
      for (Map.Entry<String, NDArray> e : estimatorState.entrySet()) {
        checkpoint.tensor(Checkpoint.ESTIMATOR_STATE + e.getKey())
            .copyInto(e.getValue(), at + "estimator state '" + e.getKey() + "'");
      }
      java.util.Set<String> best = names(checkpoint, Checkpoint.BEST_PARAMETER);
      if (!best.equals(new java.util.TreeSet<>(state.bestParameters().keySet()))) {
        throw new IllegalArgumentException(at + "holds best-epoch parameters for " + (best.isEmpty() ? "none" : best)
            + ", the run keeps them for " + (state.bestParameters().isEmpty() ? "none" : state.bestParameters().keySet())
            + " (training.early_stopping.restore_best)");
      }
      for (Map.Entry<String, NDArray> e : state.bestParameters().entrySet()) {
        checkpoint.tensor(Checkpoint.BEST_PARAMETER + e.getKey())
            .copyInto(e.getValue(), at + "best-epoch parameter '" + e.getKey() + "'");
      }
      long[] order = atEnd ? null : checkPermutation(dataOrder(checkpoint, at), n, at);
      return new TrainingPosition(t.epoch(), t.stepsDone(), t.globalStep(), order, t.epochSums().clone(),
          List.copyOf(t.metrics()), t.slices() == null ? 0 : t.slices());
    } catch (CheckpointException e) {
      throw new IllegalArgumentException(at + e.getMessage(), e);
    }
  }

  private static NDArray moment(
      Checkpoint checkpoint, String prefix, String name, NDArray weight, NDManager scratch, String at)
      throws CheckpointException {
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
  private static long[] dataOrder(Checkpoint checkpoint, String at) throws CheckpointException {
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

  private static NDManager firstManager(List<Pair<String, Parameter>> parameters) {
    if (parameters.isEmpty()) {
      throw new IllegalArgumentException("a model without parameters has nothing to restore");
    }
    return parameters.get(0).getValue().getArray().getManager();
  }
}
