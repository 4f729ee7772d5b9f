package io.vi4j.core.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.ParameterList;
import io.vi4j.api.kit.nn.Network;
import io.vi4j.api.model.Trainable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * A view of a model's part that changes what it computes, not what it is: its networks, parameters, saving
 * and loading are the wrapped part's, so a model of views trains, saves and loads the same parameters.
 */
abstract class WrappedPart implements Trainable {
  private final Trainable part;

  WrappedPart(Trainable part) {
    this.part = part;
  }

  @Override
  public Optional<Block> network() {
    return part.network();
  }

  @Override
  public Map<String, Network> networks() {
    return part.networks();
  }

  @Override
  public ParameterList parameters() {
    return part.parameters();
  }

  @Override
  public void saveParameters(DataOutputStream out) throws IOException {
    part.saveParameters(out);
  }

  @Override
  public void loadParameters(NDManager manager, DataInputStream in) throws IOException, MalformedModelException {
    part.loadParameters(manager, in);
  }
}
