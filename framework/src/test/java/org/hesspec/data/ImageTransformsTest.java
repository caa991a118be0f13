package org.hesspec.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ImageTransformsTest {

  @Test
  void fashionMnistToCifarShape() {
    int n = 2;
    float[] x = new float[n * 28 * 28];
    for (int i = 0; i < x.length; i++) {
      x[i] = 1 + i; // nonzero everywhere, so padding zeros are distinguishable
    }
    Dataset d = Dataset.classification("f", x, new int[] {28, 28, 1}, new int[] {3, 7}, 10);
    Dataset c = ImageTransforms.toCifarShape(d);
    assertArrayEquals(new int[] {32, 32, 3}, c.exampleShape());
    assertArrayEquals(new int[] {3, 7}, c.labels());
    float[] f = c.features();
    for (int i = 0; i < n; i++) {
      for (int r = 0; r < 32; r++) {
        for (int col = 0; col < 32; col++) {
          boolean inside = r >= 2 && r < 30 && col >= 2 && col < 30;
          float expected = inside ? x[i * 784 + (r - 2) * 28 + (col - 2)] : 0f;
          for (int ch = 0; ch < 3; ch++) {
            assertEquals(expected, f[i * 3072 + (r * 32 + col) * 3 + ch], 0f, "image " + i + " (" + r + "," + col + "," + ch + ")");
          }
        }
      }
    }
  }

  @Test
  void oddPaddingPutsTheExtraRowBelowAndColumnRight() {
    Dataset d = Dataset.classification("p", new float[] {5}, new int[] {1, 1, 1}, new int[] {0}, 1);
    Dataset p = ImageTransforms.pad(d, 2, 4);
    assertArrayEquals(new int[] {2, 4, 1}, p.exampleShape());
    assertArrayEquals(new float[] {0, 5, 0, 0, 0, 0, 0, 0}, p.features());
  }

  @Test
  void rejectsImpossibleTransforms() {
    Dataset rgb = Dataset.classification("rgb", new float[12], new int[] {2, 2, 3}, new int[] {0}, 1);
    assertThrows(DataException.class, () -> ImageTransforms.repeatChannels(rgb, 3));
    assertThrows(DataException.class, () -> ImageTransforms.pad(rgb, 1, 1));
    Dataset flat = Dataset.classification("flat", new float[4], new int[] {4}, new int[] {0}, 1);
    assertThrows(DataException.class, () -> ImageTransforms.toCifarShape(flat));
  }
}
