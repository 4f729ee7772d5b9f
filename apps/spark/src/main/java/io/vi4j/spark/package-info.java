/**
 * A trained vi4j run applied to a Spark {@code Dataset<Row>}: {@link io.vi4j.spark.Vi4jSpark} adds score,
 * embedding or imputation columns, batch by batch in {@code mapPartitions}, with the model loaded once per
 * executor JVM ({@link io.vi4j.spark.ExecutorModels}) and every row's noise seeded from (the run's seed, the
 * row's id), so that results do not depend on how the data are partitioned. The scoring itself is the
 * core's ({@code io.vi4j.core.uses}): the same code {@code vi4j score}, {@code embed} and {@code impute}
 * run. {@link io.vi4j.spark.SparkMain} is the command line ({@code spark-submit}, {@code ./vi4j spark}).
 */
package io.vi4j.spark;
