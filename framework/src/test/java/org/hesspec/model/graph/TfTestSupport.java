package org.hesspec.model.graph;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DoubleDataBuffer;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.proto.DataType;

/** Small helpers shared by the graph-rewrite tests. */
final class TfTestSupport {
  private TfTestSupport() {}

  static Path resource(String name) {
    URL url = TfTestSupport.class.getResource(name);
    if (url == null) {
      throw new IllegalStateException("missing test resource " + name);
    }
    try {
      return Paths.get(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The values of a float32 or float64 tensor, widened to double. */
  static double[] values(Tensor t) {
    if (t.dataType() == DataType.DT_DOUBLE) {
      DoubleDataBuffer b = t.asRawTensor().data().asDoubles();
      double[] a = new double[(int) b.size()];
      b.read(a);
      return a;
    }
    if (t.dataType() != DataType.DT_FLOAT) {
      throw new IllegalArgumentException("not a float tensor: " + t.dataType());
    }
    FloatDataBuffer b = t.asRawTensor().data().asFloats();
    float[] f = new float[(int) b.size()];
    b.read(f);
    double[] a = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      a[i] = f[i];
    }
    return a;
  }

  /** Runs {@code fetch} with {@code feeds} (tensor name to value) and returns its values. */
  static double[] run(Session s, Map<String, ? extends Tensor> feeds, String fetch) {
    Session.Runner r = s.runner();
    feeds.forEach(r::feed);
    try (var result = r.fetch(fetch).run()) {
      return values(result.get(0));
    }
  }

  static double maxRelativeDifference(double[] expected, double[] actual) {
    if (expected.length != actual.length) {
      throw new AssertionError("lengths differ: " + expected.length + " vs " + actual.length);
    }
    double scale = 0;
    for (double e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    double max = 0;
    for (int i = 0; i < expected.length; i++) {
      max = Math.max(max, Math.abs(expected[i] - actual[i]) / Math.max(scale, 1e-30));
    }
    return max;
  }
}
