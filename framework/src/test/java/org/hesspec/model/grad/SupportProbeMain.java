package org.hesspec.model.grad;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;

/**
 * Run in a fresh JVM by {@link DerivativeSupportTest}: registration is process-wide, so "before
 * registration" can only be observed in a process that has not registered. Prints one line per
 * record, before and after {@link SecondOrderGradients#ensureRegistered()}.
 */
public final class SupportProbeMain {

  private SupportProbeMain() {}

  public static void main(String[] args) {
    print("before", SecondOrderGradients.isRegistered());
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Output<?> x = RegistrationTest.placeholder(tf, DataType.DT_DOUBLE);
      Output<?> h = RawOps.op(tf, "Tanh", RawOps.op(tf, "Relu", x));
      Output<?> b =
          RawOps.builder(tf, "Placeholder")
              .setAttr("dtype", DataType.DT_DOUBLE)
              .setAttr("shape", org.tensorflow.ndarray.Shape.of(2))
              .build()
              .output(0);
      Output<?> z = RawOps.op(tf, "BiasAdd", h, b);
      Output<?> l =
          RawOps.builder(
                  tf, "SparseSoftmaxCrossEntropyWithLogits", z, tf.constant(new int[] {0, 1, 1}).asOutput())
              .build()
              .output(0);
      Output<?> loss = Losses.mean(tf, l);
      print("before", DerivativeSupport.analyze(g, List.of(x, b), loss));
      SecondOrderGradients.ensureRegistered();
      print("after", SecondOrderGradients.isRegistered());
      print("after", DerivativeSupport.analyze(g, List.of(x, b), loss));
    }
  }

  private static void print(String phase, boolean registered) {
    System.out.println("PROBE " + phase + " registered " + registered);
  }

  private static void print(String phase, List<OpSupport> records) {
    for (OpSupport s : records) {
      System.out.println(
          "PROBE "
              + phase
              + " "
              + s.opType()
              + " "
              + s.hasFirst()
              + " "
              + s.hasSecond()
              + " "
              + String.join(",", s.missing()));
    }
  }
}
