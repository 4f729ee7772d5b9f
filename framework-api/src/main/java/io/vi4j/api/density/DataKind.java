package io.vi4j.api.density;

/**
 * What values a density model is a density of, which fixes the protocol it is evaluated under: a
 * density on continuous values and a mass on binary ones are not comparable numbers.
 */
public enum DataKind {
  /** A density on real vectors (evaluated on dequantized 8-bit data: nats per item and bits per dimension). */
  CONTINUOUS,
  /** A mass on {0, 1} vectors (evaluated on binarized data: nats per item). */
  BINARY,
  /**
   * A product of densities and masses over columns of different kinds (a table's continuous, binary,
   * categorical and count columns): evaluated on the values as they are, in nats per item.
   */
  MIXED
}
