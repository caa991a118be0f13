package org.hesspec.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10Test {

  @TempDir Path dir;

  /** Records whose label is (first + r) mod 10 and whose byte (c, p) is (r + 3 c + p) mod 256. */
  private static byte[] batch(int records, int first) {
    byte[] b = new byte[records * Cifar10.RECORD_BYTES];
    for (int r = 0; r < records; r++) {
      int off = r * Cifar10.RECORD_BYTES;
      b[off] = (byte) ((first + r) % 10);
      for (int c = 0; c < 3; c++) {
        for (int p = 0; p < 1024; p++) {
          b[off + 1 + c * 1024 + p] = (byte) ((r + 3 * c + p) & 0xff);
        }
      }
    }
    return b;
  }

  private void writeAll(Path where, boolean gzipFirst) throws IOException {
    Files.createDirectories(where);
    for (int k = 1; k <= 5; k++) {
      TestFiles.write(where.resolve("data_batch_" + k + ".bin"), batch(2, 2 * (k - 1)), gzipFirst && k == 1);
    }
    TestFiles.write(where.resolve("test_batch.bin"), batch(3, 5), false);
  }

  @Test
  void readsBatchesInOrderAndTransposesChwToHwc() throws IOException {
    writeAll(dir, true);
    Dataset train = Cifar10.load(dir, Split.TRAIN);
    assertEquals(10, train.size());
    assertArrayEquals(new int[] {32, 32, 3}, train.exampleShape());
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, train.labels());
    // Record 1 of batch 2 is example 3; pixel (row 4, col 5) = p = 133, channel 2 (blue).
    int p = 4 * 32 + 5;
    float expected = ((1 + 3 * 2 + p) & 0xff) / 255f;
    assertEquals(expected, train.features()[3 * 3072 + p * 3 + 2], 0f);
    Dataset test = Cifar10.load(dir, Split.TEST);
    assertArrayEquals(new int[] {5, 6, 7}, test.labels());
  }

  @Test
  void findsTheArchiveSubfolder() throws IOException {
    writeAll(dir.resolve("cifar-10-batches-bin"), false);
    assertEquals(3, Cifar10.load(dir, Split.TEST).size());
  }

  @Test
  void truncatedBatchReportsByteCounts() throws IOException {
    writeAll(dir, false);
    Path f = dir.resolve("test_batch.bin");
    Files.write(f, TestFiles.head(batch(3, 0), 3 * 3073 - 7));
    DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10.load(dir, Split.TEST));
    assertEquals(f, e.file());
    assertTrue(e.getMessage().contains("found " + (3 * 3073 - 7) + " bytes"), e.getMessage());
    assertTrue(e.getMessage().contains("expected " + 3 * 3073 + " bytes"), e.getMessage());
  }

  @Test
  void emptyBatchIsRejected() throws IOException {
    writeAll(dir, false);
    Files.write(dir.resolve("test_batch.bin"), new byte[0]);
    DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10.load(dir, Split.TEST));
    assertTrue(e.getMessage().contains("empty file"), e.getMessage());
  }

  @Test
  void labelOutOfRange() throws IOException {
    writeAll(dir, false);
    byte[] b = batch(3, 0);
    b[2 * 3073] = 11;
    Files.write(dir.resolve("test_batch.bin"), b);
    DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10.load(dir, Split.TEST));
    assertTrue(e.getMessage().contains("label 11 of record 2 is outside [0, 10)"), e.getMessage());
  }

  @Test
  void missingBatchFileIsNamed() throws IOException {
    writeAll(dir, false);
    Files.delete(dir.resolve("data_batch_4.bin"));
    DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10.load(dir, Split.TRAIN));
    assertEquals(dir.resolve("data_batch_4.bin"), e.file());
    assertTrue(e.getMessage().endsWith("file not found"), e.getMessage());
  }
}
