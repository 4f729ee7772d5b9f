package io.vi4j.api.kit.nn;

/**
 * A network that does not fit its input or its required output, found before anything is allocated;
 * {@link #path()} is the layer's place in the config, relative to the component (such as
 * {@code network[3]}), so the assembler can name it in full ({@code model.decoder.network[3]}).
 */
public final class LayerShapeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final String problem;

  /**
   * @param path the layer's place, such as {@code network[3]}
   * @param problem what does not fit: the shape that came in and what was needed
   */
  public LayerShapeException(String path, String problem) {
    super(path + ": " + problem);
    this.path = path;
    this.problem = problem;
  }

  /** @return the layer's place in the config, relative to the component. */
  public String path() {
    return path;
  }

  /** @return what does not fit, without the place. */
  public String problem() {
    return problem;
  }
}
