package io.vi4j.plugins.estimators;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the {@code iwae} estimator differentiates the importance-weighted bound {@code L_k}. */
public enum IwaeGradient {
  /**
   * The reparameterized gradient of {@code L_k} itself (Burda, Grosse &amp; Salakhutdinov 2016): every
   * parameter gets {@code Σ_j w̃_j ∇ log w_j}.
   */
  STANDARD,
  /**
   * The doubly reparameterized gradient (Tucker, Lawson, Gu &amp; Maddison 2018): the encoder gets
   * {@code Σ_j w̃_j² ∂log w_j/∂t_j · ∂t_j/∂φ} with {@code q}'s parameters detached in {@code log q}, the
   * decoder and prior the standard {@code Σ_j w̃_j ∇_θ log p(x, t_j)}. Needs a family with {@code DETACH}.
   */
  DREG;

  /** @return the config spelling, such as {@code dreg}. */
  @JsonValue
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses a config spelling; an unknown one fails listing the accepted ones. */
  @JsonCreator
  public static IwaeGradient parse(String text) {
    for (IwaeGradient g : values()) {
      if (g.configName().equals(text)) {
        return g;
      }
    }
    throw new IllegalArgumentException("gradient must be one of "
        + Arrays.stream(values()).map(IwaeGradient::configName).collect(Collectors.joining(", "))
        + "; got '" + text + "'");
  }
}
