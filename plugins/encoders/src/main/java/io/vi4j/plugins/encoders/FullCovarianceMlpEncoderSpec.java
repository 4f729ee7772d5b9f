package io.vi4j.plugins.encoders;

import io.vi4j.api.kit.nn.ActivationName;
import io.vi4j.api.kit.nn.LayerSpec;
import io.vi4j.api.kit.spec.Checks;
import io.vi4j.api.plugin.VariationalFamilySpec;
import java.util.List;

/**
 * Config of the {@code full-covariance-mlp} encoder: an MLP ({@code hidden}, {@code activation}), or any
 * {@code network} of layers whose features go to one linear layer of {@code 2L + L(L−1)/2} units: μ, the
 * log of the Cholesky factor's diagonal and its strictly lower triangle.
 *
 * @param hidden hidden layer widths (default {@code [400]}); each at least 1
 * @param activation hidden nonlinearity (default {@code relu})
 * @param network layers from the data item's shape to features, instead of {@code hidden} and
 *     {@code activation}
 * @param triangleInit how the output units of the strictly lower triangle start: {@code zero} (the default:
 *     weights and biases 0, so training starts from the diagonal family) or {@code uniform} (the layer's
 *     initialization, as every other unit; 1.2 nats worse on binarized Fashion-MNIST, docs/benchmarks.md)
 */
public record FullCovarianceMlpEncoderSpec(
    List<Integer> hidden, ActivationName activation, List<LayerSpec> network, TriangleInit triangleInit)
    implements VariationalFamilySpec {

  /** How the triangle's output units start. */
  public enum TriangleInit {
    /** As every other unit of the layer. */
    UNIFORM,
    /** At zero: the posterior starts diagonal. */
    ZERO;

    /** @return the config spelling. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String configName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@code uniform} or {@code zero}. */
    @com.fasterxml.jackson.annotation.JsonCreator
    public static TriangleInit parse(String text) {
      for (TriangleInit t : values()) {
        if (t.configName().equals(text)) {
          return t;
        }
      }
      throw new IllegalArgumentException("triangle_init must be uniform or zero, got '" + text + "'");
    }
  }

  /** An encoder of an MLP or a network, its triangle started as the default says. */
  public FullCovarianceMlpEncoderSpec(List<Integer> hidden, ActivationName activation, List<LayerSpec> network) {
    this(hidden, activation, network, null);
  }

  /** Fills defaults and validates. */
  public FullCovarianceMlpEncoderSpec {
    triangleInit = triangleInit == null ? TriangleInit.ZERO : triangleInit;
    network = Checks.network(network, hidden, activation);
    if (network == null) {
      hidden = Checks.widths("hidden", hidden, List.of(400));
      activation = activation == null ? ActivationName.RELU : activation;
    }
  }

  /** An MLP encoder. */
  public FullCovarianceMlpEncoderSpec(List<Integer> hidden, ActivationName activation) {
    this(hidden, activation, null);
  }
}
