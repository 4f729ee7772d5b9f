package io.vi4j.core.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vi4j.core.io.AtomicFiles;
import io.vi4j.core.io.IoErrors;
import io.vi4j.core.io.JsonProblems;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The figures of a run, as {@code summary.json} holds them (written once, when the run finishes) and as
 * {@code vi4j train}, {@code vi4j evaluate} ({@code evaluation.json}) and {@code vi4j compare} read
 * them. Every figure is per data item, in nats unless its name says otherwise; a figure a model does not
 * have is null and left out of the JSON.
 *
 * @param name the config's name
 * @param model what was trained: "latent-variable model (DECODER decoder)" or the baseline's name
 * @param protocol the evaluation protocol the figures were measured under (raw, binarized, dequantized-8bit)
 * @param epochs epochs trained
 * @param testNegElboNats test −ELBO, nats per item
 * @param testReconNats its reconstruction term, nats per item
 * @param testKlNats its KL term, nats per item
 * @param testKlStderrNats the standard error of that KL term where it is a Monte-Carlo estimate (a prior with
 *     no closed-form KL against the posterior), nats per item; absent where the KL is in closed form
 * @param trainNegElboNats the last epoch's training −ELBO, nats per item
 * @param testReconMse test reconstruction mean squared error per value
 * @param note a caveat about the figures (a deterministic encoder is not a density model)
 * @param testLogLikelihoodNats test log-likelihood per item, nats: IWAE for latent models, exact for baselines
 * @param testLogLikelihoodStderrNats its standard error over items
 * @param testBitsPerDim the log-likelihood in bits per dimension, where the protocol defines it
 * @param iwaeK importance samples of the IWAE estimate
 * @param iwaeItems test items it was measured on
 * @param iwaeSeconds seconds the IWAE estimate took
 * @param trainSamplesPerSecond training throughput, items per second (median epoch)
 * @param wallSeconds seconds from start to summary
 * @param parameters scalar parameters of the model
 * @param device the device it trained on
 * @param trainItems training items
 * @param testItems test items
 * @param data the training data's name
 * @param binarization how the data were binarized (none, static, dynamic)
 * @param seed the master seed
 * @param gradVarianceTotal total variance of the encoder gradient at the trained model, when measured
 * @param gradSnr its signal-to-noise ratio
 * @param gradMeanCoordinateSnr the mean per-coordinate signal-to-noise ratio
 * @param gradVarianceDraws gradient draws measured
 * @param trainLogLikelihoodNats a baseline's training log-likelihood per item, nats
 * @param fitSeconds seconds a baseline's fit took
 * @param iterations a baseline's EM iterations
 * @param converged whether a baseline's EM converged
 * @param testInferenceSeconds seconds spent fitting the test items' posteriors before they were evaluated,
 *     for a model without an encoder (per-item posteriors: test-time inference); null for one with an encoder
 * @param testInferenceSteps Adam steps per test item of that fit
 * @param validationItems training items held out as the validation split ({@code training.validation})
 * @param validationNegElboNats the validation −ELBO of the parameters the run ended with, nats per item
 * @param bestEpoch the epoch with the best validation −ELBO ({@code training.early_stopping})
 * @param stoppedEarly whether early stopping ended training before its last epoch
 * @param finalLearningRate the last epoch's learning rate ({@code training.lr_schedule})
 * @param finalKlWeight the KL weight of the last step ({@code training.kl_weight})
 * @param generationSecondsPer100 seconds to draw 100 new items from the trained model (an autoregressive
 *     model draws one dimension per network pass)
 * @param generationPasses the network passes one such draw of 100 items takes
 * @param likelihoodKind what the model's log-likelihood is a log of: {@code continuous} (a density),
 *     {@code binary} (a mass on {0, 1}) or {@code mixed} (densities on a table's continuous columns, masses on
 *     its discrete ones); figures of different kinds are not comparable even under one protocol
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@com.fasterxml.jackson.databind.annotation.JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunSummary(
    String name,
    String model,
    String protocol,
    Integer epochs,
    Double testNegElboNats,
    Double testReconNats,
    Double testKlNats,
    Double testKlStderrNats,
    Double trainNegElboNats,
    Double testReconMse,
    String note,
    Double testLogLikelihoodNats,
    Double testLogLikelihoodStderrNats,
    Double testBitsPerDim,
    Integer iwaeK,
    Integer iwaeItems,
    Double iwaeSeconds,
    Double trainSamplesPerSecond,
    Double wallSeconds,
    Long parameters,
    String device,
    Integer trainItems,
    Integer testItems,
    String data,
    String binarization,
    Long seed,
    Double gradVarianceTotal,
    Double gradSnr,
    Double gradMeanCoordinateSnr,
    Integer gradVarianceDraws,
    Double trainLogLikelihoodNats,
    Double fitSeconds,
    Integer iterations,
    Boolean converged,
    Double testInferenceSeconds,
    Integer testInferenceSteps,
    Integer validationItems,
    Double validationNegElboNats,
    Integer bestEpoch,
    Boolean stoppedEarly,
    Double finalLearningRate,
    Double finalKlWeight,
    @com.fasterxml.jackson.annotation.JsonProperty("generation_seconds_per_100") Double generationSecondsPer100,
    Integer generationPasses,
    String likelihoodKind) {

  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** @return a builder with every figure unset. */
  public static Builder builder() {
    return new Builder();
  }

  /** Writes the summary as JSON, atomically. */
  public void write(Path file) throws IOException {
    AtomicFiles.write(file, JSON.writeValueAsBytes(this));
  }

  /** @return the summary in {@code file}. */
  public static RunSummary read(Path file) throws IOException {
    try {
      return JSON.readValue(file.toFile(), RunSummary.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException(file + ": not a run summary (" + JsonProblems.describe(e) + ")", e);
    } catch (IOException e) {
      throw IoErrors.named(file, "cannot be read", e);
    }
  }

  /** @return the summary as JSON text. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a summary always serializes", e);
    }
  }

  /** Collects figures as a run produces them; {@link #build} makes the record. */
  public static final class Builder {
    private String name;
    private String model;
    private String protocol;
    private Integer epochs;
    private Double testNegElboNats;
    private Double testReconNats;
    private Double testKlNats;
    private Double testKlStderrNats;
    private Double trainNegElboNats;
    private Double testReconMse;
    private String note;
    private Double testLogLikelihoodNats;
    private Double testLogLikelihoodStderrNats;
    private Double testBitsPerDim;
    private Integer iwaeK;
    private Integer iwaeItems;
    private Double iwaeSeconds;
    private Double trainSamplesPerSecond;
    private Double wallSeconds;
    private Long parameters;
    private String device;
    private Integer trainItems;
    private Integer testItems;
    private String data;
    private String binarization;
    private Long seed;
    private Double gradVarianceTotal;
    private Double gradSnr;
    private Double gradMeanCoordinateSnr;
    private Integer gradVarianceDraws;
    private Double trainLogLikelihoodNats;
    private Double fitSeconds;
    private Integer iterations;
    private Boolean converged;
    private Double testInferenceSeconds;
    private Integer testInferenceSteps;
    private Integer validationItems;
    private Double validationNegElboNats;
    private Integer bestEpoch;
    private Boolean stoppedEarly;
    private Double finalLearningRate;
    private Double finalKlWeight;
    private Double generationSecondsPer100;
    private Integer generationPasses;
    private String likelihoodKind;

    private Builder() {}

    /** Sets name. */
    public Builder name(String value) {
      this.name = value;
      return this;
    }

    /** Sets model. */
    public Builder model(String value) {
      this.model = value;
      return this;
    }

    /** Sets protocol. */
    public Builder protocol(String value) {
      this.protocol = value;
      return this;
    }

    /** Sets epochs. */
    public Builder epochs(Integer value) {
      this.epochs = value;
      return this;
    }

    /** Sets testNegElboNats. */
    public Builder testNegElboNats(Double value) {
      this.testNegElboNats = value;
      return this;
    }

    /** Sets testReconNats. */
    public Builder testReconNats(Double value) {
      this.testReconNats = value;
      return this;
    }

    /** Sets testKlNats. */
    public Builder testKlNats(Double value) {
      this.testKlNats = value;
      return this;
    }

    /** Sets testKlStderrNats; a NaN (a closed-form KL) leaves it absent. */
    public Builder testKlStderrNats(Double value) {
      this.testKlStderrNats = value == null || value.isNaN() ? null : value;
      return this;
    }

    /** Sets trainNegElboNats. */
    public Builder trainNegElboNats(Double value) {
      this.trainNegElboNats = value;
      return this;
    }

    /** Sets testReconMse. */
    public Builder testReconMse(Double value) {
      this.testReconMse = value;
      return this;
    }

    /** Sets note. */
    public Builder note(String value) {
      this.note = value;
      return this;
    }

    /** Sets testLogLikelihoodNats. */
    public Builder testLogLikelihoodNats(Double value) {
      this.testLogLikelihoodNats = value;
      return this;
    }

    /** Sets testLogLikelihoodStderrNats. */
    public Builder testLogLikelihoodStderrNats(Double value) {
      this.testLogLikelihoodStderrNats = value;
      return this;
    }

    /** Sets testBitsPerDim. */
    public Builder testBitsPerDim(Double value) {
      this.testBitsPerDim = value;
      return this;
    }

    /** Sets iwaeK. */
    public Builder iwaeK(Integer value) {
      this.iwaeK = value;
      return this;
    }

    /** Sets iwaeItems. */
    public Builder iwaeItems(Integer value) {
      this.iwaeItems = value;
      return this;
    }

    /** Sets iwaeSeconds. */
    public Builder iwaeSeconds(Double value) {
      this.iwaeSeconds = value;
      return this;
    }

    /** Sets trainSamplesPerSecond. */
    public Builder trainSamplesPerSecond(Double value) {
      this.trainSamplesPerSecond = value;
      return this;
    }

    /** Sets wallSeconds. */
    public Builder wallSeconds(Double value) {
      this.wallSeconds = value;
      return this;
    }

    /** Sets parameters. */
    public Builder parameters(Long value) {
      this.parameters = value;
      return this;
    }

    /** Sets device. */
    public Builder device(String value) {
      this.device = value;
      return this;
    }

    /** Sets trainItems. */
    public Builder trainItems(Integer value) {
      this.trainItems = value;
      return this;
    }

    /** Sets testItems. */
    public Builder testItems(Integer value) {
      this.testItems = value;
      return this;
    }

    /** Sets data. */
    public Builder data(String value) {
      this.data = value;
      return this;
    }

    /** Sets binarization. */
    public Builder binarization(String value) {
      this.binarization = value;
      return this;
    }

    /** Sets seed. */
    public Builder seed(Long value) {
      this.seed = value;
      return this;
    }

    /** Sets gradVarianceTotal. */
    public Builder gradVarianceTotal(Double value) {
      this.gradVarianceTotal = value;
      return this;
    }

    /** Sets gradSnr. */
    public Builder gradSnr(Double value) {
      this.gradSnr = value;
      return this;
    }

    /** Sets gradMeanCoordinateSnr. */
    public Builder gradMeanCoordinateSnr(Double value) {
      this.gradMeanCoordinateSnr = value;
      return this;
    }

    /** Sets gradVarianceDraws. */
    public Builder gradVarianceDraws(Integer value) {
      this.gradVarianceDraws = value;
      return this;
    }

    /** Sets trainLogLikelihoodNats. */
    public Builder trainLogLikelihoodNats(Double value) {
      this.trainLogLikelihoodNats = value;
      return this;
    }

    /** Sets fitSeconds. */
    public Builder fitSeconds(Double value) {
      this.fitSeconds = value;
      return this;
    }

    /** Sets iterations. */
    public Builder iterations(Integer value) {
      this.iterations = value;
      return this;
    }

    /** Sets converged. */
    public Builder converged(Boolean value) {
      this.converged = value;
      return this;
    }

    /** Sets testInferenceSeconds. */
    public Builder testInferenceSeconds(Double value) {
      this.testInferenceSeconds = value;
      return this;
    }

    /** Sets testInferenceSteps. */
    public Builder testInferenceSteps(Integer value) {
      this.testInferenceSteps = value;
      return this;
    }

    /** Sets validationItems. */
    public Builder validationItems(Integer value) {
      this.validationItems = value;
      return this;
    }

    /** Sets validationNegElboNats. */
    public Builder validationNegElboNats(Double value) {
      this.validationNegElboNats = value;
      return this;
    }

    /** Sets bestEpoch. */
    public Builder bestEpoch(Integer value) {
      this.bestEpoch = value;
      return this;
    }

    /** Sets stoppedEarly. */
    public Builder stoppedEarly(Boolean value) {
      this.stoppedEarly = value;
      return this;
    }

    /** Sets finalLearningRate. */
    public Builder finalLearningRate(Double value) {
      this.finalLearningRate = value;
      return this;
    }

    /** Sets generationSecondsPer100. */
    public Builder generationSecondsPer100(Double value) {
      this.generationSecondsPer100 = value;
      return this;
    }

    /** Sets likelihoodKind from the model's data kind. */
    public Builder likelihoodKind(io.vi4j.api.density.DataKind value) {
      this.likelihoodKind = value == null ? null : value.name().toLowerCase(java.util.Locale.ROOT);
      return this;
    }

    /** Sets generationPasses. */
    public Builder generationPasses(Integer value) {
      this.generationPasses = value;
      return this;
    }

    /** Sets finalKlWeight. */
    public Builder finalKlWeight(Double value) {
      this.finalKlWeight = value;
      return this;
    }

    /** @return the summary. */
    public RunSummary build() {
      return new RunSummary(name, model, protocol, epochs, testNegElboNats, testReconNats, testKlNats, testKlStderrNats, trainNegElboNats, testReconMse, note, testLogLikelihoodNats, testLogLikelihoodStderrNats, testBitsPerDim, iwaeK, iwaeItems, iwaeSeconds, trainSamplesPerSecond, wallSeconds, parameters, device, trainItems, testItems, data, binarization, seed, gradVarianceTotal, gradSnr, gradMeanCoordinateSnr, gradVarianceDraws, trainLogLikelihoodNats, fitSeconds, iterations, converged, testInferenceSeconds, testInferenceSteps, validationItems, validationNegElboNats, bestEpoch, stoppedEarly, finalLearningRate, finalKlWeight, generationSecondsPer100, generationPasses, likelihoodKind);
    }
  }
}
