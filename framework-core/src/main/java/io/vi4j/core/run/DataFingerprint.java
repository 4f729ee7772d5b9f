package io.vi4j.core.run;

import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.Dataset;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Identifies the data a run was trained on, so that a command reading the run later (evaluate, the uses,
 * {@code --resume}) notices when its data paths now lead to other data — a file replaced, or a relative
 * path resolved elsewhere — instead of reporting figures on data the model never saw.
 *
 * @param trainItems items in the training split as loaded (before the protocol is applied)
 * @param testItems items in the test split
 * @param columns values per item
 * @param sha256 SHA-256 over both splits' values and labels
 */
public record DataFingerprint(int trainItems, int testItems, int columns, String sha256) {

  /** @return the fingerprint of the splits as the data source gave them. */
  public static DataFingerprint of(DataSplits raw) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    update(digest, raw.train());
    update(digest, raw.test());
    return new DataFingerprint(raw.train().rows(), raw.test().rows(), raw.train().columns(),
        HexFormat.of().formatHex(digest.digest()));
  }

  private static void update(MessageDigest digest, Dataset data) {
    ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(data.rows()).putInt(data.columns()).putInt(data.hasLabels() ? 1 : 0).flip();
    digest.update(header);
    float[] values = data.values();
    ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < values.length; ) {
      chunk.clear();
      while (i < values.length && chunk.remaining() >= 4) {
        chunk.putFloat(values[i++]);
      }
      chunk.flip();
      digest.update(chunk);
    }
    if (data.hasLabels()) {
      for (int label : data.labels()) {
        digest.update(new byte[] {(byte) label, (byte) (label >> 8), (byte) (label >> 16), (byte) (label >> 24)});
      }
    }
  }

  /**
   * @return null when {@code other} is the same data, else what differs, in words
   */
  public String difference(DataFingerprint other) {
    if (trainItems != other.trainItems || testItems != other.testItems || columns != other.columns) {
      return "it was trained on " + trainItems + " training and " + testItems + " test items of " + columns
          + " values; the data found now have " + other.trainItems + " and " + other.testItems + " items of "
          + other.columns + " values";
    }
    if (!sha256.equals(other.sha256)) {
      return "the data found now have the same sizes but other values (SHA-256 " + other.sha256.substring(0, 12)
          + "..., trained on " + sha256.substring(0, 12) + "...)";
    }
    return null;
  }
}
