package org.hesspec.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10 in its binary distribution ({@code cifar-10-binary.tar.gz}): 50000 training images in
 * {@code data_batch_1.bin .. data_batch_5.bin} and 10000 test images in {@code test_batch.bin}.
 *
 * <p>Each record is 3073 bytes: the label (0..9), then 1024 red, 1024 green and 1024 blue bytes
 * (channel-major, rows top to bottom). Records are transposed to height x width x channels (NHWC)
 * and scaled to {@code [0, 1]}. The directory may hold the batch files directly or in the
 * archive's {@code cifar-10-batches-bin/} folder. Batch files may be gzipped.
 */
public final class Cifar10 {

  /** Image side in pixels. */
  public static final int SIDE = 32;
  /** Colour channels. */
  public static final int CHANNELS = 3;
  /** Bytes of one record: a label byte and 32 x 32 x 3 pixel bytes. */
  public static final int RECORD_BYTES = 1 + SIDE * SIDE * CHANNELS;

  /** The class names, index = label. */
  public static final List<String> CLASS_NAMES = List.of(
      "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  private Cifar10() {}

  /**
   * One split, example shape {@code [32, 32, 3]}, pixels scaled to {@code [0, 1]}, 10 classes,
   * in file order (batch 1 first).
   *
   * @throws DataFormatException when a file is missing or malformed
   */
  public static Dataset load(Path dir, Split split) {
    if (!Files.isDirectory(dir)) {
      throw new DataFormatException(dir, "data directory not found (cifar10)");
    }
    Path base = Files.isDirectory(dir.resolve("cifar-10-batches-bin")) ? dir.resolve("cifar-10-batches-bin") : dir;
    List<Path> files = new ArrayList<>();
    if (split == Split.TRAIN) {
      for (int b = 1; b <= 5; b++) {
        files.add(base.resolve("data_batch_" + b + ".bin"));
      }
    } else {
      files.add(base.resolve("test_batch.bin"));
    }
    return readBatches("cifar10/" + split.key(), files);
  }

  /** Reads and concatenates batch files in the given order. */
  public static Dataset readBatches(String name, List<Path> files) {
    List<byte[]> contents = new ArrayList<>();
    long total = 0;
    for (Path f : files) {
      byte[] bytes = FileBytes.read(f);
      if (bytes.length == 0) {
        throw new DataFormatException(f, "empty file, expected at least one " + RECORD_BYTES + "-byte record");
      }
      if (bytes.length % RECORD_BYTES != 0) {
        long whole = bytes.length / RECORD_BYTES;
        throw new DataFormatException(f, "truncated: found " + bytes.length + " bytes = " + whole + " whole "
            + RECORD_BYTES + "-byte records + " + bytes.length % RECORD_BYTES + " bytes; expected "
            + (whole + 1) * RECORD_BYTES + " bytes for " + (whole + 1) + " records");
      }
      contents.add(bytes);
      total += bytes.length / RECORD_BYTES;
    }
    if (total * RECORD_BYTES > Integer.MAX_VALUE) {
      throw new DataException(name + ": " + total + " records is more than one array can hold");
    }
    int n = (int) total;
    int plane = SIDE * SIDE;
    float[] features = new float[n * plane * CHANNELS];
    int[] labels = new int[n];
    int i = 0;
    for (int fi = 0; fi < files.size(); fi++) {
      byte[] bytes = contents.get(fi);
      for (int r = 0; r < bytes.length / RECORD_BYTES; r++, i++) {
        int off = r * RECORD_BYTES;
        int y = bytes[off] & 0xff;
        if (y >= 10) {
          throw new DataFormatException(files.get(fi), "label " + y + " of record " + r + " is outside [0, 10)");
        }
        labels[i] = y;
        int out = i * plane * CHANNELS;
        // CHW in the file, HWC in memory: pixel p of channel c goes to out + p * 3 + c.
        for (int c = 0; c < CHANNELS; c++) {
          int in = off + 1 + c * plane;
          for (int p = 0; p < plane; p++) {
            features[out + p * CHANNELS + c] = (bytes[in + p] & 0xff) / 255f;
          }
        }
      }
    }
    return Dataset.classification(name, features, new int[] {SIDE, SIDE, CHANNELS}, labels, 10);
  }
}
