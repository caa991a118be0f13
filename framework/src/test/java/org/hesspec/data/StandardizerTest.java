package org.hesspec.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StandardizerTest {

  @Test
  void perFeatureStatisticsFromTrainAppliedToTest() {
    // Two features: the first takes 1, 3, 5, 7 (mean 4, population std sqrt(5)); the second is constant 2.
    Dataset train = Dataset.classification("train", new float[] {1, 2, 3, 2, 5, 2, 7, 2}, new int[] {2}, new int[] {0, 1, 0, 1}, 2);
    Standardizer s = Standardizer.fit(train, Standardizer.Mode.PER_FEATURE);
    assertArrayEquals(new float[] {4, 2}, s.mean(), 1e-6f);
    assertEquals((float) Math.sqrt(5), s.std()[0], 1e-6f);
    assertEquals(1f, s.std()[1], 0f, "a constant feature keeps std 1 instead of dividing by 0");
    Dataset z = s.apply(train);
    double sum = 0;
    double sq = 0;
    for (int i = 0; i < 4; i++) {
      sum += z.features()[2 * i];
      sq += z.features()[2 * i] * z.features()[2 * i];
    }
    assertEquals(0, sum / 4, 1e-6);
    assertEquals(1, sq / 4, 1e-6);
    Dataset test = Dataset.classification("test", new float[] {4 + (float) Math.sqrt(5), 3}, new int[] {2}, new int[] {1}, 2);
    assertArrayEquals(new float[] {1, 1}, s.apply(test).features(), 1e-6f);
    assertArrayEquals(new int[] {1}, s.apply(test).labels());
  }

  @Test
  void perChannelPoolsOverPixels() {
    // 2 images of 1x2 pixels, 3 channels: channel c of every pixel is c * 10 + (0 or 2).
    float[] x = {0, 10, 20, 2, 12, 22, 2, 12, 22, 0, 10, 20};
    Dataset d = Dataset.classification("img", x, new int[] {1, 2, 3}, new int[] {0, 0}, 1);
    Standardizer s = Standardizer.fit(d, Standardizer.Mode.PER_CHANNEL);
    assertArrayEquals(new float[] {1, 11, 21}, s.mean(), 1e-6f);
    assertArrayEquals(new float[] {1, 1, 1}, s.std(), 1e-6f);
    assertArrayEquals(new float[] {-1, -1, -1, 1, 1, 1, 1, 1, 1, -1, -1, -1}, s.apply(d).features(), 1e-6f);
  }

  @Test
  void rejectsAnotherShape() {
    Dataset a = Dataset.classification("a", new float[] {1, 2}, new int[] {2}, new int[] {0}, 1);
    Dataset b = Dataset.classification("b", new float[] {1, 2}, new int[] {1}, new int[] {0, 0}, 1);
    Standardizer s = Standardizer.fit(a, Standardizer.Mode.PER_FEATURE);
    assertThrows(DataException.class, () -> s.apply(b));
  }
}
