package io.vi4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import com.google.inject.name.Names;
import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.api.plugin.ComponentFactory;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.Vi4jPlugin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFactoriesTest {

  @TempDir Path dir;

  private BuildContext context() {
    return new BuildContext(0, 0, null, dir);
  }

  @Test
  void pluginRegistersTheFiveFactories() {
    Injector injector = Guice.createInjector(new CoreDataPlugin());
    Map<String, ComponentFactory<?, ?>> factories =
        injector.getInstance(
            Key.get(new TypeLiteral<Map<String, ComponentFactory<?, ?>>>() {}, Names.named(ComponentKind.DATA.name())));
    assertThat(factories).containsOnlyKeys("idx", "fashion-mnist", "csv", "sprites", "table");
    assertThat(factories.get("idx").specType()).isEqualTo(IdxDataSpec.class);
    assertThat(factories.get("fashion-mnist").specType()).isEqualTo(FashionMnistDataSpec.class);
    assertThat(factories.get("csv").specType()).isEqualTo(CsvDataSpec.class);
    assertThat(factories.get("sprites").specType()).isEqualTo(SpritesDataSpec.class);
    assertThat(factories.get("table").specType()).isEqualTo(TableDataSpec.class);
  }

  @Test
  void pluginIsAService() {
    assertThat(ServiceLoader.load(Vi4jPlugin.class).stream().map(ServiceLoader.Provider::type))
        .contains(CoreDataPlugin.class);
  }

  @Test
  void idxResolvesRelativePathsAndLimits() throws IOException {
    Files.createDirectories(dir.resolve("d"));
    IdxTestFiles.images(dir.resolve("d/tr.gz"), 6, 2, 3, IdxTestFiles.pattern(36), true);
    IdxTestFiles.labels(dir.resolve("d/trl.gz"), new byte[] {0, 1, 2, 3, 4, 5}, true);
    IdxTestFiles.images(dir.resolve("d/te"), 2, 2, 3, IdxTestFiles.pattern(12), false);
    IdxDataSpec spec = new IdxDataSpec("d/tr.gz", "d/trl.gz", "d/te", null, "static", 1L, 4, null);
    DataSplits splits = new IdxDataFactory().create(spec, context()).load();
    assertThat(splits.train().name()).isEqualTo(dir.resolve("d/tr.gz").toString());
    assertThat(splits.train().rows()).isEqualTo(4);
    assertThat(splits.train().labels()).containsExactly(0, 1, 2, 3);
    assertThat(splits.train().itemShape()).containsExactly(2, 3);
    assertThat(splits.test().rows()).isEqualTo(2);
    assertThat(splits.test().hasLabels()).isFalse();
    assertThat(splits.binarization()).isEqualTo(Binarization.STATIC);
    for (float v : splits.train().values()) {
      assertThat(v).isIn(0f, 1f);
    }
  }

  @Test
  void csvScalesAndBinarizes() throws IOException {
    Files.writeString(dir.resolve("tr.csv"), "y,a,b\n1,0,255\n0,51,102\n");
    Files.writeString(dir.resolve("te.csv"), "y,a,b\n1,255,0\n");
    CsvDataSpec spec = new CsvDataSpec("tr.csv", "te.csv", null, "y", 255.0, null, null, null, null);
    DataSplits splits = new CsvDataFactory().create(spec, context()).load();
    assertThat(splits.train().name()).isEqualTo(dir.resolve("tr.csv").toString());
    assertThat(splits.train().values()).containsExactly(0f, 1f, 0.2f, 0.4f);
    assertThat(splits.train().labels()).containsExactly(1, 0);
    assertThat(splits.test().values()).containsExactly(1f, 0f);

    CsvDataSpec unscaled = new CsvDataSpec("tr.csv", "te.csv", null, "y", null, "static", null, null, null);
    assertThatThrownBy(() -> new CsvDataFactory().create(unscaled, context()).load())
        .isInstanceOf(DataException.class)
        .hasMessageContaining("tr.csv: value 255.0")
        .hasMessageContaining("set scale");
  }

  @Test
  void spritesSource() throws IOException {
    DataSplits splits = new SpritesDataFactory().create(new SpritesDataSpec(50, 20, 4L, null), context()).load();
    assertThat(splits.train().rows()).isEqualTo(50);
    assertThat(splits.test().rows()).isEqualTo(20);
    assertThat(splits.train().name()).isEqualTo("sprites (built-in, seed 4)");
    assertThat(splits.train().itemShape()).containsExactly(28, 28);
    assertThat(splits.binarization()).isEqualTo(Binarization.NONE);
    DataSplits binary = new SpritesDataFactory().create(new SpritesDataSpec(50, 20, 4L, "static"), null).load();
    for (float v : binary.train().values()) {
      assertThat(v).isIn(0f, 1f);
    }
  }

  @Test
  void fashionMnistMissingDirectorySaysHowToInstall() {
    FashionMnistDataSpec spec = new FashionMnistDataSpec("no-such-dir", null, null, null, null);
    assertThatThrownBy(() -> new FashionMnistDataFactory().create(spec, context()).load())
        .isInstanceOf(DataException.class)
        .hasMessageStartingWith(dir.resolve("no-such-dir").toString())
        .hasMessageContaining("apt-get install dataset-fashion-mnist");
  }
}
