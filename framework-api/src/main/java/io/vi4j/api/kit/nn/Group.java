package io.vi4j.api.kit.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A container that holds several already-initialized blocks (and loose parameters) of one model part,
 * so that the part exposes, saves and loads all of them as one {@link Block}. It is never called
 * forward: the part calls its children.
 */
public final class Group extends AbstractBlock {

  /** Adds a child block under a name; returns it. */
  public <B extends Block> B add(String name, B block) {
    return addChildBlock(name, block);
  }

  /** Adds a loose parameter (already holding its array); returns it. */
  public Parameter add(Parameter parameter) {
    return addParameter(parameter);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
    throw new UnsupportedOperationException("a Group is a container; call its children");
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    throw new UnsupportedOperationException("a Group is a container; call its children");
  }

  @Override
  public boolean isInitialized() {
    return true;
  }

  /** A container has no input shapes of its own: nothing to write. */
  @Override
  protected void saveMetadata(java.io.DataOutputStream os) {}

  /** Reads what {@link #saveMetadata} wrote: nothing. */
  @Override
  protected void loadMetadata(byte loadVersion, java.io.DataInputStream is) {}
}
