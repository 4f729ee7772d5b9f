package io.vi4j.plugins.encoders;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.kit.nn.ActivationName;
import io.vi4j.api.kit.nn.LayerSpec;
import io.vi4j.api.kit.nn.Mlp;
import io.vi4j.api.kit.nn.Network;
import java.util.List;

/** The network every encoder of this plugin is built on: an MLP, or a network of layers and a linear head. */
final class EncoderNetworks {
  private EncoderNetworks() {}

  /**
   * @param itemShape the shape of one data item, {@code (D)} or {@code (C, H, W)}
   * @param hidden the MLP's hidden widths (used when {@code layers} is null)
   * @param activation the MLP's nonlinearity (used when {@code layers} is null)
   * @param layers layers from the item's shape to features, or null for the MLP
   * @param outputs the width of the last (linear) layer: the posterior's parameters per item
   */
  static Network build(NDManager manager, Shape itemShape, List<Integer> hidden, ActivationName activation,
      List<LayerSpec> layers, int outputs) {
    return layers == null
        ? new Mlp(manager, (int) itemShape.size(), hidden, outputs, activation).network()
        : Network.build(manager, "network", itemShape, Network.then(layers, outputs), null, null);
  }
}
