package org.hesspec.experiments.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hesspec.data.Dataset;
import org.hesspec.model.FunctionModel;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.OutputKind;
import org.hesspec.model.ParameterLayout;
import org.hesspec.model.Precision;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The benchmark workloads of the PyTorch peer ({@code bench/torch_peer.py}), same shapes and sizes: random
 * N(0,1) float32 inputs, random labels 0..9, mean softmax cross-entropy, all examples in one batch;
 * parameters initialised like PyTorch's defaults (uniform in +-1/sqrt(fan_in)). The random numbers
 * differ from PyTorch's (another generator), which does not change the arithmetic timed.
 *
 * @param name mlp, cnn or mlp-small
 * @param examples n
 */
public record BenchWorkload(String name, int examples) {

  public static final long SEED = 1234;
  public static final int CLASSES = 10;

  /** mlp, cnn, mlp-small, in the peer's order. */
  public static List<BenchWorkload> all() {
    return List.of(new BenchWorkload("mlp", 1000), new BenchWorkload("cnn", 500), new BenchWorkload("mlp-small", 1000));
  }

  /** A workload by name: one of {@link #all()}, or {@code train_epoch} ({@link TrainEpochBench}, run only when named). */
  public static BenchWorkload named(String name) {
    if (name.equals(TrainEpochBench.NAME)) {
      return new BenchWorkload(TrainEpochBench.NAME, TrainEpochBench.EXAMPLES);
    }
    return all().stream().filter(w -> w.name.equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown workload '" + name + "'; expected one of mlp, cnn, mlp-small, " + TrainEpochBench.NAME));
  }

  /** The network as a float32 function of theta. */
  public ModelDefinition model() {
    return switch (name) {
      case "mlp" -> mlp(1024);
      case "mlp-small" -> mlp(256);
      case "cnn" -> cnn();
      default -> throw new IllegalStateException(name);
    };
  }

  /** The inputs and labels. */
  public Dataset data() {
    Random r = new Random(SEED + 1);
    long[] shape = name.equals("cnn") ? new long[] {28, 28, 1} : new long[] {784};
    float[] x = new float[examples * 784];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    int[] y = new int[examples];
    for (int i = 0; i < examples; i++) {
      y[i] = r.nextInt(CLASSES);
    }
    int[] s = new int[shape.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = (int) shape[i];
    }
    return Dataset.classification("bench-" + name, x, s, y, CLASSES);
  }

  private static ModelDefinition mlp(int width) {
    List<String> names = List.of("dense_0/kernel", "dense_0/bias", "dense_1/kernel", "dense_1/bias", "dense_2/kernel", "dense_2/bias");
    List<long[]> shapes = List.of(new long[] {784, width}, new long[] {width}, new long[] {width, width}, new long[] {width},
        new long[] {width, CLASSES}, new long[] {CLASSES});
    long[] fanIn = {784, 784, width, width, width, width};
    ParameterLayout layout = ParameterLayout.of(names, shapes);
    return FunctionModel.build(width == 1024 ? "mlp" : "mlp-small", layout, init(layout, fanIn), new long[] {784}, CLASSES,
        Precision.FLOAT32, OutputKind.LOGITS, (tf, x, p) -> {
          Operand<TFloating> a = tf.nn.relu(tf.nn.biasAdd(tf.linalg.matMul(x, p.get(0)), p.get(1)));
          a = tf.nn.relu(tf.nn.biasAdd(tf.linalg.matMul(a, p.get(2)), p.get(3)));
          return tf.nn.biasAdd(tf.linalg.matMul(a, p.get(4)), p.get(5));
        });
  }

  private static ModelDefinition cnn() {
    List<String> names = List.of("conv_0/kernel", "conv_0/bias", "conv_1/kernel", "conv_1/bias", "dense_0/kernel", "dense_0/bias",
        "dense_1/kernel", "dense_1/bias");
    List<long[]> shapes = List.of(new long[] {3, 3, 1, 32}, new long[] {32}, new long[] {3, 3, 32, 64}, new long[] {64},
        new long[] {7 * 7 * 64, 128}, new long[] {128}, new long[] {128, CLASSES}, new long[] {CLASSES});
    long[] fanIn = {9, 9, 9 * 32, 9 * 32, 7 * 7 * 64, 7 * 7 * 64, 128, 128};
    ParameterLayout layout = ParameterLayout.of(names, shapes);
    return FunctionModel.build("cnn", layout, init(layout, fanIn), new long[] {28, 28, 1}, CLASSES, Precision.FLOAT32, OutputKind.LOGITS,
        (tf, x, p) -> {
          Operand<TFloating> a = pool(tf, tf.nn.relu(tf.nn.biasAdd(conv(tf, x, p.get(0)), p.get(1))));
          a = pool(tf, tf.nn.relu(tf.nn.biasAdd(conv(tf, a, p.get(2)), p.get(3))));
          a = tf.reshape(a, tf.constant(new int[] {-1, 7 * 7 * 64}));
          a = tf.nn.relu(tf.nn.biasAdd(tf.linalg.matMul(a, p.get(4)), p.get(5)));
          return tf.nn.biasAdd(tf.linalg.matMul(a, p.get(6)), p.get(7));
        });
  }

  private static Operand<TFloating> conv(Ops tf, Operand<TFloating> x, Operand<TFloating> k) {
    return tf.nn.conv2d(x, k, List.of(1L, 1L, 1L, 1L), "SAME");
  }

  private static Operand<TFloating> pool(Ops tf, Operand<TFloating> x) {
    return tf.nn.maxPool(x, tf.constant(new int[] {1, 2, 2, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID");
  }

  /** PyTorch's default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases. */
  private static double[] init(ParameterLayout layout, long[] fanIn) {
    Random r = new Random(SEED);
    double[] theta = new double[Math.toIntExact(layout.dimension())];
    List<Double> bounds = new ArrayList<>();
    for (long f : fanIn) {
      bounds.add(1 / Math.sqrt(f));
    }
    for (int k = 0; k < layout.tensors().size(); k++) {
      var t = layout.tensors().get(k);
      for (long i = t.offset(); i < t.offset() + t.size(); i++) {
        theta[(int) i] = bounds.get(k) * (2 * r.nextDouble() - 1);
      }
    }
    return theta;
  }
}
