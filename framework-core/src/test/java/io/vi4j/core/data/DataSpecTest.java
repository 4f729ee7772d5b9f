package io.vi4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.api.plugin.DataSpec;
import org.junit.jupiter.api.Test;

/** The specs read as core will read them: YAML, snake_case, unknown properties fail. */
class DataSpecTest {

  private static final ObjectMapper MAPPER =
      new ObjectMapper(new YAMLFactory())
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  static {
    MAPPER.registerSubtypes(
        new NamedType(IdxDataSpec.class, IdxDataFactory.NAME),
        new NamedType(FashionMnistDataSpec.class, FashionMnistDataFactory.NAME),
        new NamedType(CsvDataSpec.class, CsvDataFactory.NAME),
        new NamedType(SpritesDataSpec.class, SpritesDataFactory.NAME));
  }

  private static DataSpec read(String yaml) throws Exception {
    return MAPPER.readValue(yaml, DataSpec.class);
  }

  @Test
  void spritesDefaults() throws Exception {
    assertThat(read("type: sprites")).isEqualTo(new SpritesDataSpec(20000, 2000, 0L, "none"));
    assertThat(SpritesDataSpec.defaults()).isEqualTo(new SpritesDataSpec(20000, 2000, 0L, "none"));
    SpritesDataSpec spec = (SpritesDataSpec) read("type: sprites\ntrain_size: 100\ntest_size: 10\nseed: 3\nbinarize: STATIC\n");
    assertThat(spec).isEqualTo(new SpritesDataSpec(100, 10, 3L, "static"));
    assertThat(spec.binarization()).isEqualTo(Binarization.STATIC);
  }

  @Test
  void idxFields() throws Exception {
    IdxDataSpec spec =
        (IdxDataSpec)
            read(
                "type: idx\ntrain_images: a.gz\ntrain_labels: b.gz\ntest_images: c.gz\n"
                    + "binarize: dynamic\nlimit_train: 100\nlimit_test: 10\n");
    assertThat(spec).isEqualTo(new IdxDataSpec("a.gz", "b.gz", "c.gz", null, "dynamic", 0L, 100, 10));
    assertThatThrownBy(() -> read("type: idx\ntrain_images: a.gz\n"))
        .hasMessageContaining("test_images is required: the path of an IDX image file");
  }

  @Test
  void fashionMnistDefaults() throws Exception {
    assertThat(read("type: fashion-mnist"))
        .isEqualTo(new FashionMnistDataSpec("/usr/share/datasets/fashion-mnist", "none", 0L, null, null));
    assertThat(FashionMnistDataSpec.defaults().directory()).isEqualTo(IdxReader.FASHION_MNIST_DIR.toString());
  }

  @Test
  void csvFieldsIncludingNumericLabelColumn() throws Exception {
    CsvDataSpec spec =
        (CsvDataSpec)
            read(
                "type: csv\ntrain: tr.csv\ntest: te.csv\nheader: false\nlabel_column: 0\nscale: 255\n"
                    + "binarize: static\nseed: 9\nlimit_train: 5\n");
    assertThat(spec).isEqualTo(new CsvDataSpec("tr.csv", "te.csv", false, "0", 255.0, "static", 9L, 5, null));
    CsvDataSpec auto = (CsvDataSpec) read("type: csv\ntrain: tr.csv\ntest: te.csv\nlabel_column: y\n");
    assertThat(auto.header()).isNull();
    assertThat(auto.labelColumn()).isEqualTo("y");
    assertThat(auto.scale()).isNull();
  }

  @Test
  void serializesBackToSnakeCase() throws Exception {
    ObjectMapper json =
        new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    json.registerSubtypes(new NamedType(SpritesDataSpec.class, SpritesDataFactory.NAME));
    String text = json.writeValueAsString(new SpritesDataSpec(10, 5, 1L, "static"));
    assertThat(text)
        .isEqualTo("{\"type\":\"sprites\",\"train_size\":10,\"test_size\":5,\"seed\":1,\"binarize\":\"static\"}");
    assertThat(read(text)).isEqualTo(new SpritesDataSpec(10, 5, 1L, "static"));
  }

  @Test
  void validationNamesTheFieldAndWhatIsAccepted() {
    assertThatThrownBy(() -> read("type: sprites\nbinarize: threshold\n"))
        .hasMessageContaining("binarize: 'threshold' is not accepted; use one of none, static, dynamic");
    assertThatThrownBy(() -> new SpritesDataSpec(0, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("train_size: 0 is not accepted; use a positive number (default 20000)");
    assertThatThrownBy(() -> new FashionMnistDataSpec(null, null, null, -1, null))
        .hasMessageStartingWith("limit_train: -1 is not accepted; use a positive number of items");
    assertThatThrownBy(() -> new CsvDataSpec("a", "b", null, null, 0.0, null, null, null, null))
        .hasMessageStartingWith("scale: 0.0 is not accepted");
    assertThatThrownBy(() -> new CsvDataSpec(null, "b", null, null, null, null, null, null, null))
        .hasMessage("train is required: the path of a CSV file");
  }

  @Test
  void unknownFieldsFail() {
    assertThatThrownBy(() -> read("type: sprites\ntrain_sise: 5\n"))
        .isInstanceOf(UnrecognizedPropertyException.class)
        .hasMessageContaining("train_sise");
  }
}
