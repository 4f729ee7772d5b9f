package io.vi4j.core.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;

/**
 * What {@code run.json} says about a run directory: that vi4j made it, whether the run has finished, what
 * relative data paths in its {@code config.yaml} resolve against, which data it was trained on, and which
 * outside plugin jars its config needs.
 * Written when training starts (state {@code training}) and rewritten when it finishes or diverges, so the
 * directory always tells truthfully whether it holds a finished model.
 *
 * @param format always {@link #FORMAT}
 * @param version the format's version, {@link #VERSION}
 * @param state where the run stands
 * @param dataDirectory the absolute directory relative data paths in {@code config.yaml} resolve against
 *     (the directory of the config file it was trained from)
 * @param data the fingerprint of the data it was trained on; null where unknown
 * @param plugins the outside plugin jars (loaded with {@code --plugins} or {@code VI4J_PLUGINS}) whose
 *     components its config uses, by file name and SHA-256; empty when it uses only built-in plugins, and
 *     for records written before jars were recorded (omitted from {@code run.json} when empty)
 * @param divergence why training stopped, when {@code state} is {@link State#DIVERGED}; else null
 * @param started when training started (ISO-8601)
 * @param ended when it finished or diverged (ISO-8601); null while training
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRecord(
    String format,
    int version,
    State state,
    @JsonProperty("data_directory") String dataDirectory,
    DataFingerprint data,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<PluginFile> plugins,
    String divergence,
    String started,
    String ended) {
  /** The {@code format} of every run record. */
  public static final String FORMAT = "vi4j-run";
  /** The version this vi4j writes and reads. */
  public static final int VERSION = 1;

  /** Reads a record without {@code plugins} as one that uses no outside jar. */
  public RunRecord {
    plugins = plugins == null ? List.of() : List.copyOf(plugins);
  }

  /**
   * An outside plugin jar a run was trained with.
   *
   * @param name the jar's file name, such as {@code student-t-prior-1.0.jar}
   * @param sha256 the SHA-256 of its bytes, lower-case hex
   */
  public record PluginFile(String name, String sha256) {
    /** Checks that both parts are given. */
    public PluginFile {
      if (name == null || name.isEmpty() || sha256 == null || sha256.isEmpty()) {
        throw new IllegalArgumentException("a recorded plugin jar needs a name and a sha256");
      }
    }
  }

  /** Where a run stands. */
  public enum State {
    /** Training has started and not ended: still running, or killed (then {@code --resume} continues it). */
    TRAINING,
    /** Trained and evaluated: {@code parameters.bin} and {@code summary.json} hold the final model. */
    FINISHED,
    /** Training stopped at a non-finite loss, gradient or update. */
    DIVERGED;

    /** @return the lower-case name written in {@code run.json}. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** @return a record of a run that starts training now, with built-in plugins only. */
  public static RunRecord started(String dataDirectory, DataFingerprint data) {
    return started(dataDirectory, data, List.of());
  }

  /** @return a record of a run that starts training now, using these outside plugin jars. */
  public static RunRecord started(String dataDirectory, DataFingerprint data, List<PluginFile> plugins) {
    return new RunRecord(FORMAT, VERSION, State.TRAINING, dataDirectory, data, plugins, null, now(), null);
  }

  /** @return this record with the run finished now. */
  public RunRecord finished() {
    return new RunRecord(format, version, State.FINISHED, dataDirectory, data, plugins, null, started, now());
  }

  /** @return this record with the run diverged now, for {@code reason}. */
  public RunRecord diverged(String reason) {
    return new RunRecord(format, version, State.DIVERGED, dataDirectory, data, plugins, reason, started, now());
  }

  private static String now() {
    return java.time.OffsetDateTime.now().withNano(0).toString();
  }
}
