package org.hesspec.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataLoaderTest {

  @TempDir Path dir;

  @Test
  void idxDirectoryWithPerClassSubsample() throws IOException {
    TestFiles.mnistDir(dir, 100, 30, true);
    DataSource src = new DataSource.FashionMnist(dir);
    assertEquals("fashion-mnist", src.key());
    Dataset all = DataLoader.load(src, Split.TRAIN, DataLoader.ALL, 1);
    assertEquals(100, all.size());
    Dataset five = DataLoader.load(src, Split.TRAIN, 5, 1);
    assertArrayEquals(new int[] {5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, five.classCounts());
    assertArrayEquals(five.features(), DataLoader.load(src, Split.TRAIN, 5, 1).features());
    assertEquals(30, DataLoader.load(new DataSource.MnistIdx(dir), Split.TEST, 0, 1).size());
    DataException e = assertThrows(DataException.class, () -> DataLoader.load(src, Split.TEST, 4, 1));
    assertTrue(e.getMessage().contains("fewer than per_class = 4"), e.getMessage());
  }

  @Test
  void gaussianMixtureNeedsPerClassAndUsesTheSeed() {
    DataSource g = new DataSource.GaussianMixture(3, 8, 2.5);
    Dataset a = DataLoader.load(g, Split.TRAIN, 10, 7);
    assertEquals(30, a.size());
    assertArrayEquals(a.features(), GaussianMixtureGenerator.generate(3, 8, 2.5, 10, 7, Split.TRAIN).features());
    assertThrows(DataException.class, () -> DataLoader.load(g, Split.TRAIN, DataLoader.ALL, 7));
  }

  @Test
  void fileSourcesDescribeOneSplit() throws IOException {
    Path x = dir.resolve("x.npy");
    Path y = dir.resolve("y.npy");
    Files.write(x, TestFiles.npy(1, "<f4", false, new int[] {6, 1}, TestFiles.floats(ByteOrder.LITTLE_ENDIAN, 0, 1, 2, 3, 4, 5)));
    Files.write(y, TestFiles.npy(1, "<i8", false, new int[] {6}, TestFiles.longs(ByteOrder.LITTLE_ENDIAN, 0, 1, 0, 1, 0, 1)));
    Dataset d = DataLoader.load(new DataSource.Npy(x, y), Split.TEST, 2, 3);
    assertArrayEquals(new int[] {2, 2}, d.classCounts());
    assertTrue(d.name().contains("test"), d.name());
    Path csv = dir.resolve("d.csv");
    Files.writeString(csv, "f,label\n1,0\n2,1\n3,1\n");
    Dataset c = DataLoader.load(new DataSource.Csv(csv, "label"), Split.TRAIN, DataLoader.ALL, 3);
    assertEquals(3, c.size());
    assertThrows(IllegalArgumentException.class, () -> new DataSource.Npy(x, null, null, 0));
  }

  @Test
  void seedStreamsAreDeterministicAndDistinct() {
    assertEquals(Seeds.derive(7, "a"), Seeds.derive(7, "a"));
    assertNotEquals(Seeds.derive(7, "a"), Seeds.derive(7, "b"));
    assertNotEquals(Seeds.derive(7, "a"), Seeds.derive(8, "a"));
  }
}
