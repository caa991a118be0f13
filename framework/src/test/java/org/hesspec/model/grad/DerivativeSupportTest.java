package org.hesspec.model.grad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.hesspec.model.OutputKind;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

class DerivativeSupportTest {

  /** Every op type of the networks the project differentiates, in one graph, both precisions. */
  @Test
  void networkOpsAllSupportedAfterRegistration() {
    SecondOrderGradients.ensureRegistered();
    for (DataType dtype : new DataType[] {DataType.DT_FLOAT, DataType.DT_DOUBLE}) {
      try (HvpFixture f = new HvpFixture(38, dtype, DerivativeSupportTest::zoo)) {
        List<OpSupport> records = DerivativeSupport.analyze(f.graph, List.of(f.theta), f.loss);
        Set<String> types = records.stream().map(OpSupport::opType).collect(Collectors.toSet());
        assertTrue(
            types.containsAll(
                List.of(
                    "Conv2D", "BiasAdd", "Tanh", "MaxPool", "MaxPoolV2", "AvgPool", "Softplus",
                    "Relu", "Sigmoid", "Elu", "Reshape", "Slice",
                    "SparseSoftmaxCrossEntropyWithLogits", "LogSoftmax", "Mean", "AddV2")),
            "walked: " + types);
        List<OpSupport> bad = records.stream().filter(s -> !s.supported()).toList();
        assertEquals(List.of(), bad, dtype.toString());
      }
    }
  }

  /**
   * conv 3x3 SAME + bias, tanh, max pool V1 and V2 (summed), conv, softplus, avg pool, reshape,
   * relu/sigmoid/elu mixture, one fused sparse CE and one LogSoftmax CE. p = 38.
   */
  static Output<?> zoo(HvpFixture f, Ops tf) {
    Output<?> x = f.randomConstant(3, 1, 2, 6, 6, 1);
    Output<?> c1 =
        RawOps.op(tf, "BiasAdd", OpHvpTest.conv(tf, x, f.param(0, 3, 3, 1, 2), 1, "SAME"), f.param(18, 2));
    Output<?> t = RawOps.op(tf, "Tanh", c1);
    Output<?> m =
        RawOps.op(tf, "AddV2", OpHvpTest.maxPool(tf, t, false), OpHvpTest.maxPool(tf, t, true));
    Output<?> c2 = RawOps.op(tf, "Softplus", OpHvpTest.conv(tf, m, f.param(20, 2, 2, 2, 2), 1, "VALID"));
    Output<?> a = OpHvpTest.avgPool(tf, c2);
    Output<?> z =
        RawOps.op(tf, "Reshape", a, tf.constant(new int[] {2, 2}).asOutput());
    Output<?> mix =
        RawOps.op(
            tf,
            "AddV2",
            RawOps.op(tf, "Relu", z),
            RawOps.mul(tf, RawOps.op(tf, "Sigmoid", z), RawOps.op(tf, "Elu", z)));
    Output<?> logits = RawOps.op(tf, "BiasAdd", mix, f.param(36, 2));
    Output<?> labels = tf.constant(new long[] {1, 0}).asOutput();
    Output<?> fused =
        RawOps.builder(tf, "SparseSoftmaxCrossEntropyWithLogits", logits, labels).build().output(0);
    Output<?> composed = Losses.crossEntropy(tf, logits, OutputKind.LOGITS, labels);
    return Losses.mean(tf, RawOps.op(tf, "AddV2", fused, composed));
  }

  /** Lgamma's gradient is Digamma, which has no gradient: first yes, second no, Digamma named. */
  @Test
  void reportsMissingSecondDerivative() {
    SecondOrderGradients.ensureRegistered();
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Output<?> x = RegistrationTest.placeholder(tf, DataType.DT_DOUBLE);
      Output<?> y = OpHvpTest.sum(tf, RawOps.op(tf, "Lgamma", RawOps.op(tf, "Tanh", x)));
      List<OpSupport> bad = DerivativeSupport.unsupported(g, List.of(x), y);
      assertEquals(1, bad.size(), bad.toString());
      OpSupport s = bad.get(0);
      assertEquals("Lgamma", s.opType());
      assertTrue(s.hasFirst());
      assertFalse(s.hasSecond());
      assertEquals(List.of("Digamma"), s.missing());
    }
  }

  /** The fused dense softmax CE: its C++ gradient builds in float32 but not in float64. */
  @Test
  void fusedSoftmaxCrossEntropyFailsInFloat64Only() {
    SecondOrderGradients.ensureRegistered();
    for (DataType dtype : new DataType[] {DataType.DT_FLOAT, DataType.DT_DOUBLE}) {
      try (Graph g = new Graph()) {
        Ops tf = Ops.create(g);
        Output<?> z = RegistrationTest.placeholder(tf, dtype);
        Output<?> onehot = Losses.oneHot(tf, tf.constant(new int[] {0, 1, 1}), z);
        Output<?> l =
            RawOps.builder(tf, "SoftmaxCrossEntropyWithLogits", z, onehot).build().output(0);
        List<OpSupport> records = DerivativeSupport.analyze(g, List.of(z), Losses.mean(tf, l));
        OpSupport s =
            records.stream()
                .filter(r -> r.opType().equals("SoftmaxCrossEntropyWithLogits"))
                .findFirst()
                .orElseThrow();
        assertEquals(dtype, s.dtype());
        if (dtype == DataType.DT_FLOAT) {
          assertTrue(s.supported(), s.toString());
        } else {
          assertFalse(s.hasFirst(), s.toString());
          assertEquals(List.of("SoftmaxCrossEntropyWithLogits"), s.missing());
        }
      }
    }
  }

  /** A GraphDef with an op type this TensorFlow does not know is reported, not imported. */
  @Test
  void reportsUnknownOpTypeInGraphDef() {
    GraphDef def =
        GraphDef.newBuilder()
            .addNode(
                NodeDef.newBuilder()
                    .setName("theta")
                    .setOp("Placeholder")
                    .putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_DOUBLE).build()))
            .addNode(NodeDef.newBuilder().setName("weird").setOp("HesspecMadeUpOp").addInput("theta"))
            .addNode(NodeDef.newBuilder().setName("loss").setOp("Identity").addInput("weird:0"))
            .build();
    List<OpSupport> records = DerivativeSupport.analyze(def, List.of("theta:0"), "loss:0");
    assertEquals(1, records.size(), records.toString());
    assertEquals("HesspecMadeUpOp", records.get(0).opType());
    assertFalse(records.get(0).hasFirst());
    assertFalse(records.get(0).hasSecond());
  }

  /** The GraphDef entry point imports and probes a graph of known ops. */
  @Test
  void graphDefOfKnownOpsIsProbed() {
    SecondOrderGradients.ensureRegistered();
    try (HvpFixture f = new HvpFixture(27, DataType.DT_DOUBLE, CompositionHessianTest::mlpTanh)) {
      List<OpSupport> records =
          DerivativeSupport.analyze(f.graph.toGraphDef(), List.of(f.theta.name()), f.loss.name());
      Set<String> types = records.stream().map(OpSupport::opType).collect(Collectors.toSet());
      assertTrue(types.containsAll(List.of("MatMul", "Tanh", "AddV2", "LogSoftmax")), types.toString());
      assertTrue(records.stream().allMatch(OpSupport::supported), records.toString());
    }
  }

  /**
   * In a fresh JVM ({@link SupportProbeMain}): before registration, Relu, Tanh, BiasAdd lack a
   * second derivative (ReluGrad, TanhGrad, BiasAddGrad named) and the fused sparse CE lacks even a
   * first; after registration in the same process, nothing is missing.
   */
  @Test
  void beforeRegistrationInAFreshProcess() throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            SupportProbeMain.class.getName());
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    List<String> lines = new ArrayList<>();
    List<String> all = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        all.add(line);
        if (line.startsWith("PROBE ")) {
          lines.add(line.substring(6));
        }
      }
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), String.join("\n", all));
    assertTrue(lines.contains("before registered false"), lines.toString());
    assertTrue(lines.contains("before Relu true false ReluGrad"), lines.toString());
    assertTrue(lines.contains("before Tanh true false TanhGrad"), lines.toString());
    assertTrue(lines.contains("before BiasAdd true false BiasAddGrad"), lines.toString());
    assertTrue(
        lines.contains(
            "before SparseSoftmaxCrossEntropyWithLogits false false SparseSoftmaxCrossEntropyWithLogits"),
        lines.toString());
    assertTrue(lines.contains("after registered true"), lines.toString());
    List<String> after = lines.stream().filter(l -> l.startsWith("after ") && !l.contains("registered")).toList();
    assertTrue(after.size() >= 4, after.toString());
    for (String l : after) {
      assertTrue(l.endsWith(" true true "), l);
    }
  }
}
