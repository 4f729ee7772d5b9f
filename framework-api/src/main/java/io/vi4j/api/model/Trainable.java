package io.vi4j.api.model;

import ai.djl.MalformedModelException;
import ai.djl.nn.Block;
import ai.djl.nn.ParameterList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Optional;

/** A model part that may own trainable parameters, held in a DJL {@link Block}. */
public interface Trainable {

  /** @return the network holding this part's parameters, or empty for a parameter-free part. */
  default Optional<Block> network() {
    return Optional.empty();
  }

  /**
   * @return the part's networks of layers by their config field ({@code network},
   *     {@code variance_network}), for tables of layers and shapes ({@code vi4j model}); empty by default
   */
  default java.util.Map<String, io.vi4j.api.kit.nn.Network> networks() {
    return java.util.Map.of();
  }

  /** @return the trainable parameters (empty for a parameter-free part). */
  default ParameterList parameters() {
    return network().map(Block::getParameters).orElseGet(ParameterList::new);
  }

  /** Writes the parameters; a parameter-free part writes nothing. */
  default void saveParameters(DataOutputStream out) throws IOException {
    if (network().isPresent()) {
      network().get().saveParameters(out);
    }
  }

  /** Reads parameters written by {@link #saveParameters}. */
  default void loadParameters(ai.djl.ndarray.NDManager manager, DataInputStream in)
      throws IOException, MalformedModelException {
    if (network().isPresent()) {
      network().get().loadParameters(manager, in);
    }
  }

  /**
   * Whether this part computes each row of a batch from that row alone and updates nothing in a training
   * step, drawing its noise (if any) through {@link io.vi4j.api.kit.math.RowNoise}: then a trainer may
   * split a step's minibatch into slices computed side by side and add their gradients ({@link
   * io.vi4j.api.estimator.GradientEstimator#rowSeparable}).
   *
   * @return by default true for a part without parameters, and for one whose {@link #networks} describe
   *     its layers and hold no {@code batch-norm} (batch statistics, running averages) or {@code dropout}
   *     (the engine's generator) layer; false for a part with parameters it does not describe
   */
  default boolean rowSeparable() {
    if (parameters().isEmpty()) {
      return true;
    }
    java.util.Map<String, io.vi4j.api.kit.nn.Network> networks = networks();
    if (networks.isEmpty()) {
      return false;
    }
    for (io.vi4j.api.kit.nn.Network network : networks.values()) {
      for (io.vi4j.api.kit.nn.Network.Layer layer : network.layers()) {
        if (layer.type().equals("batch-norm") || layer.type().equals("dropout")) {
          return false;
        }
      }
    }
    return true;
  }
}
