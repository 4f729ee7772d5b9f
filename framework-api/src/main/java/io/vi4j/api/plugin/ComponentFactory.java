package io.vi4j.api.plugin;

/**
 * Builds a runtime component (which may own native memory) from its spec (which does not).
 *
 * @param <S> the spec class this factory reads
 * @param <C> the component it builds
 */
public interface ComponentFactory<S extends ComponentSpec, C> {

  /** @return the spec class, registered under this factory's name as a config {@code type}. */
  Class<S> specType();

  /**
   * Builds the component.
   *
   * @param spec its configuration
   * @param context dimensions, the model's manager and the config's directory
   */
  C create(S spec, BuildContext context);

  /**
   * A factory from a spec class and a function, for plugins whose components need nothing else.
   *
   * @param specType the spec class
   * @param create builds the component
   */
  static <S extends ComponentSpec, C> ComponentFactory<S, C> of(
      Class<S> specType, java.util.function.BiFunction<S, BuildContext, C> create) {
    return new ComponentFactory<>() {
      @Override
      public Class<S> specType() {
        return specType;
      }

      @Override
      public C create(S spec, BuildContext context) {
        return create.apply(spec, context);
      }
    };
  }
}
