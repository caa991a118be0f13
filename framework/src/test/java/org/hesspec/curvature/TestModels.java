package org.hesspec.curvature;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.hesspec.data.Dataset;
import org.hesspec.model.FunctionModel;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.OutputKind;
import org.hesspec.model.ParameterLayout;
import org.hesspec.model.Precision;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/** Small float64 models written directly as function graphs of (x, theta), for exact tests. */
final class TestModels {

  private TestModels() {}

  /** Builds the network's ops given the input and the parameter placeholders. */
  interface Body {
    Operand<TFloat64> build(Ops tf, Operand<TFloat64> x, List<Operand<TFloat64>> params);
  }

  /** A model from shapes and a body; parameters drawn from N(0, scale^2) with {@code seed}. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static ModelDefinition model(String name, long[] exampleShape, int classes, List<long[]> shapes, double scale, long seed,
      Body body, OutputKind kind) {
    List<String> names = new ArrayList<>();
    for (int k = 0; k < shapes.size(); k++) {
      names.add("param_" + k);
    }
    ParameterLayout layout = ParameterLayout.of(names, shapes);
    Random r = new Random(seed);
    double[] theta = new double[Math.toIntExact(layout.dimension())];
    for (int i = 0; i < theta.length; i++) {
      theta[i] = scale * r.nextGaussian();
    }
    return FunctionModel.build(name, layout, theta, exampleShape, classes, Precision.FLOAT64, kind,
        (tf, x, p) -> (Operand) body.build(tf, (Operand) x, (List) p));
  }

  /** z = x W + b. */
  static ModelDefinition linearSoftmax(int d, int c, long seed) {
    return model("linear", new long[] {d}, c, List.of(new long[] {d, c}, new long[] {c}), 0.5, seed,
        (tf, x, p) -> tf.math.add(tf.linalg.matMul(x, p.get(0)), p.get(1)), OutputKind.LOGITS);
  }

  /** A two-hidden-layer MLP d-h-h-c with the given activation. */
  static ModelDefinition mlp(int d, int h, int c, long seed, BiFunction<Ops, Operand<TFloat64>, Operand<TFloat64>> act) {
    List<long[]> shapes = List.of(new long[] {d, h}, new long[] {h}, new long[] {h, h}, new long[] {h}, new long[] {h, c}, new long[] {c});
    return model("mlp", new long[] {d}, c, shapes, 0.6, seed, (tf, x, p) -> {
      Operand<TFloat64> a = act.apply(tf, tf.math.add(tf.linalg.matMul(x, p.get(0)), p.get(1)));
      a = act.apply(tf, tf.math.add(tf.linalg.matMul(a, p.get(2)), p.get(3)));
      return tf.math.add(tf.linalg.matMul(a, p.get(4)), p.get(5));
    }, OutputKind.LOGITS);
  }

  /** A Gaussian data set of n examples in d dimensions with random labels in [0, c). */
  static Dataset gaussianData(int n, int d, int c, long seed) {
    Random r = new Random(seed);
    float[] f = new float[n * d];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) r.nextGaussian();
    }
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextInt(c);
    }
    return Dataset.classification("gaussian", f, new int[] {d}, y, c);
  }
}
