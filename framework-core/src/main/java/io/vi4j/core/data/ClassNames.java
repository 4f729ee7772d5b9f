package io.vi4j.core.data;

import io.vi4j.api.plugin.DataSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The names of the classes behind the integer labels of the data sets vi4j knows: the built-in sprites'
 * shapes and Fashion-MNIST's ten garments. Other data (an IDX or CSV file) has numbers only.
 */
public final class ClassNames {
  /** Fashion-MNIST's classes, in label order (Xiao, Rasul &amp; Vollgraf 2017). */
  public static final List<String> FASHION_MNIST = List.of("T-shirt/top", "trouser", "pullover", "dress", "coat",
      "sandal", "shirt", "sneaker", "bag", "ankle boot");

  /** The built-in sprites' classes, in label order: their shapes. */
  public static final List<String> SPRITES = Arrays.stream(SpritesDataset.Shape.values())
      .map(s -> s.name().toLowerCase(Locale.ROOT)).toList();

  private final List<String> names;

  private ClassNames(List<String> names) {
    this.names = names;
  }

  /** @return the class names of the data a spec describes; none for data that carries numbers only */
  public static ClassNames of(DataSpec spec) {
    if (spec instanceof SpritesDataSpec) {
      return new ClassNames(SPRITES);
    }
    if (spec instanceof FashionMnistDataSpec) {
      return new ClassNames(FASHION_MNIST);
    }
    return new ClassNames(List.of());
  }

  /**
   * @param type the data section's {@code type} as a config names it ({@code sprites}, {@code fashion-mnist})
   * @return the class names of that data; none for a type whose labels are numbers only
   */
  public static ClassNames ofType(String type) {
    if (SpritesDataFactory.NAME.equals(type)) {
      return new ClassNames(SPRITES);
    }
    if (FashionMnistDataFactory.NAME.equals(type)) {
      return new ClassNames(FASHION_MNIST);
    }
    return none();
  }

  /**
   * @return the class names of {@code data} when it is a table with a named label (its levels), else those of
   *     the data a spec describes
   */
  public static ClassNames of(DataSpec spec, io.vi4j.api.data.Dataset data) {
    if (data.table() != null && !data.table().labelLevels().isEmpty()) {
      return new ClassNames(data.table().labelLevels());
    }
    return of(spec);
  }

  /**
   * @param text a label as a number ({@code 3}) or a class name ({@code cross}, {@code malignant})
   * @return the label
   * @throws IllegalArgumentException naming the known classes when {@code text} is neither
   */
  public int labelOf(String text) {
    String trimmed = text.trim();
    int named = names.indexOf(trimmed);
    if (named >= 0) {
      return named;
    }
    try {
      return Integer.parseInt(trimmed);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + trimmed + "' is neither a label number nor a class of the data"
          + (names.isEmpty() ? " (its labels are numbers only)" : " (its classes: " + String.join(", ", names) + ")"));
    }
  }

  /** @return names that know no class: every label reads as its number */
  public static ClassNames none() {
    return new ClassNames(List.of());
  }

  /** @return the class's name ({@code "cross"}), or null when the data names none for this label */
  public String nameOf(int label) {
    return label >= 0 && label < names.size() ? names.get(label) : null;
  }

  /** @return the label with its class name where there is one: {@code "3 (cross)"}, else {@code "3"} */
  public String describe(int label) {
    String name = nameOf(label);
    return name == null ? Integer.toString(label) : label + " (" + name + ")";
  }

  /** @return a legend entry: the class name ({@code "cross"}), else {@code "label 3"} */
  public String legend(int label) {
    String name = nameOf(label);
    return name == null ? "label " + label : name;
  }
}
