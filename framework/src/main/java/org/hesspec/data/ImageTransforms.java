package org.hesspec.data;

import java.util.Arrays;

/**
 * Shape transforms of image data sets (examples {@code [height, width, channels]}, NHWC).
 *
 * <p>The one the experiments need: Fashion-MNIST ({@code 28 x 28 x 1}) fed to networks built for
 * CIFAR-10 ({@code 32 x 32 x 3}), by {@link #toCifarShape}: pad with zeros to 32 x 32, then repeat
 * the grey channel three times. Apply it after pixel scaling (zero is the black background of
 * Fashion-MNIST) and before any standardisation.
 */
public final class ImageTransforms {

  private ImageTransforms() {}

  /**
   * Pads every image with zeros to {@code height x width}, centred: {@code (height - h) / 2} rows
   * on top (rounded down) and the rest below; likewise left and right.
   */
  public static Dataset pad(Dataset data, int height, int width) {
    int[] s = imageShape(data);
    int h = s[0];
    int w = s[1];
    int c = s[2];
    if (height < h || width < w) {
      throw new DataException(data.name() + ": cannot pad " + h + "x" + w + " images to the smaller " + height + "x" + width);
    }
    int top = (height - h) / 2;
    int left = (width - w) / 2;
    int n = data.size();
    float[] in = data.features();
    float[] out = new float[n * height * width * c];
    int rowIn = w * c;
    for (int i = 0; i < n; i++) {
      int baseIn = i * h * w * c;
      int baseOut = i * height * width * c;
      for (int r = 0; r < h; r++) {
        System.arraycopy(in, baseIn + r * rowIn, out, baseOut + ((r + top) * width + left) * c, rowIn);
      }
    }
    return withFeatures(data, out, new int[] {height, width, c});
  }

  /** Repeats the single channel of every image {@code channels} times (grey to RGB). */
  public static Dataset repeatChannels(Dataset data, int channels) {
    int[] s = imageShape(data);
    if (s[2] != 1) {
      throw new DataException(data.name() + ": can only repeat a single channel, images have " + s[2]);
    }
    float[] in = data.features();
    float[] out = new float[in.length * channels];
    for (int p = 0; p < in.length; p++) {
      Arrays.fill(out, p * channels, (p + 1) * channels, in[p]);
    }
    return withFeatures(data, out, new int[] {s[0], s[1], channels});
  }

  /** {@code 28 x 28 x 1} (or any smaller grey image) to {@code 32 x 32 x 3}: zero-pad, then repeat. */
  public static Dataset toCifarShape(Dataset data) {
    return repeatChannels(pad(data, Cifar10.SIDE, Cifar10.SIDE), Cifar10.CHANNELS);
  }

  private static int[] imageShape(Dataset data) {
    int[] s = data.exampleShape();
    if (s.length != 3) {
      throw new DataException(data.name() + ": expected images of shape [height, width, channels], found " + Arrays.toString(s));
    }
    return s;
  }

  private static Dataset withFeatures(Dataset data, float[] features, int[] shape) {
    return new Dataset(data.name(), features, shape, data.labels(), data.targets(), data.targetWidth(), data.numClasses());
  }
}
