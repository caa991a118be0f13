package org.hesspec.model.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hesspec.data.Dataset;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/** A SavedModel loaded the way a user would: {@code SavedModelBundle.load(dir, "serve")}. */
final class LoadedModel implements AutoCloseable {

  private final SavedModelBundle bundle;

  LoadedModel(Path dir) {
    bundle = SavedModelBundle.load(dir.toString(), "serve");
  }

  /** Logits through the {@code serving_default} signature, fed all examples at once. */
  float[] logits(Dataset d) {
    try (TFloat32 x = Tensors.batch(d.features(), d.exampleShape(), 0, d.size());
        Result r = bundle.function("serving_default").call(Map.of("x", x))) {
      return Tensors.read(r.get("logits").orElseThrow());
    }
  }

  /** Every VariableV2 in the graph with its value, sorted by name. */
  TreeMap<String, float[]> variables() {
    List<String> names = new ArrayList<>();
    for (Iterator<GraphOperation> it = bundle.graph().operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      if (op.type().equals("VariableV2")) {
        names.add(op.name());
      }
    }
    TreeMap<String, float[]> out = new TreeMap<>();
    Session.Runner r = bundle.session().runner();
    names.forEach(r::fetch);
    try (Result res = r.run()) {
      for (int i = 0; i < names.size(); i++) {
        out.put(names.get(i), Tensors.read(res.get(i)));
      }
    }
    return out;
  }

  /**
   * Gradient of sum(logits) over {@code d} with respect to the variable {@code name}, computed in
   * the loaded graph (how hesspec's importer treats parameters: as outputs of their VariableV2 ops).
   */
  float[] gradientOfLogitSum(Dataset d, String name) {
    org.tensorflow.Graph g = bundle.graph();
    org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(g).withSubScope("test_gradient");
    org.tensorflow.Operand<TFloat32> logits = g.outputOrThrow("logits").expect(TFloat32.class);
    var sum = tf.sum(logits, tf.constant(new int[] {0, 1}));
    org.tensorflow.Output<?>[] grad = g.addGradients("test_grad", new org.tensorflow.Output<?>[] {sum.asOutput()},
        new org.tensorflow.Output<?>[] {g.operationOrThrow(name).output(0)}, new org.tensorflow.Output<?>[] {tf.constant(1f).asOutput()});
    try (TFloat32 x = Tensors.batch(d.features(), d.exampleShape(), 0, d.size());
        Result r = bundle.session().runner().feed("x", x).fetch(grad[0]).run()) {
      return Tensors.read(r.get(0));
    }
  }

  /** Op types present in the graph. */
  List<String> opTypes() {
    List<String> types = new ArrayList<>();
    for (Iterator<GraphOperation> it = bundle.graph().operations(); it.hasNext(); ) {
      types.add(it.next().type());
    }
    return types;
  }

  @Override
  public void close() {
    bundle.close();
  }

  static float[] concat(Iterable<float[]> parts) {
    int n = 0;
    for (float[] p : parts) {
      n += p.length;
    }
    float[] out = new float[n];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

}
