package io.vi4j.core.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * What {@code run.json} says about a run directory: that vi4j made it, whether the run has finished, what
 * relative data paths in its {@code config.yaml} resolve against, and which data it was trained on.
 * Written when training starts (state {@code training}) and rewritten when it finishes or diverges, so the
 * directory always tells truthfully whether it holds a finished model.
 *
 * @param format always {@link #FORMAT}
 * @param version the format's version, {@link #VERSION}
 * @param state where the run stands
 * @param dataDirectory the absolute directory relative data paths in {@code config.yaml} resolve against
 *     (the directory of the config file it was trained from)
 * @param data the fingerprint of the data it was trained on; null where unknown
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
    String divergence,
    String started,
    String ended) {
  /** The {@code format} of every run record. */
  public static final String FORMAT = "vi4j-run";
  /** The version this vi4j writes and reads. */
  public static final int VERSION = 1;

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

  /** @return a record of a run that starts training now. */
  public static RunRecord started(String dataDirectory, DataFingerprint data) {
    return new RunRecord(FORMAT, VERSION, State.TRAINING, dataDirectory, data, null, now(), null);
  }

  /** @return this record with the run finished now. */
  public RunRecord finished() {
    return new RunRecord(format, version, State.FINISHED, dataDirectory, data, null, started, now());
  }

  /** @return this record with the run diverged now, for {@code reason}. */
  public RunRecord diverged(String reason) {
    return new RunRecord(format, version, State.DIVERGED, dataDirectory, data, reason, started, now());
  }

  private static String now() {
    return java.time.OffsetDateTime.now().withNano(0).toString();
  }
}
