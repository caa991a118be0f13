package org.hesspec.model.grad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;

/** Registration is idempotent, complete, and a failing callback surfaces as an exception. */
class RegistrationTest {

  /** The op types the issue asks for, each registered here or (newer TensorFlow) already in C++. */
  static final List<String> REQUIRED =
      List.of(
          "ReluGrad",
          "TanhGrad",
          "SigmoidGrad",
          "SoftplusGrad",
          "EluGrad",
          "BiasAddGrad",
          "Conv2DBackpropFilter",
          "MaxPoolGrad",
          "MaxPoolGradV2",
          "AvgPoolGrad",
          "SparseSoftmaxCrossEntropyWithLogits",
          "OnesLike");

  @Test
  void registeringTwiceAndConcurrentlyIsHarmless() throws Exception {
    SecondOrderGradients.ensureRegistered();
    Set<String> first = SecondOrderGradients.registeredOpTypes();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Set<String>>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Callable<Set<String>> c =
            () -> {
              SecondOrderGradients.ensureRegistered();
              return SecondOrderGradients.registeredOpTypes();
            };
        results.add(pool.submit(c));
      }
      for (Future<Set<String>> r : results) {
        assertTrue(r.get().containsAll(first));
      }
    } finally {
      pool.shutdown();
    }
    assertTrue(SecondOrderGradients.isRegistered());
    Set<String> covered = new LinkedHashSet<>(SecondOrderGradients.registeredOpTypes());
    covered.addAll(SecondOrderGradients.skippedOpTypes());
    assertTrue(covered.containsAll(SecondOrderGradients.knownOpTypes()));
    assertTrue(covered.containsAll(REQUIRED), "not covered: " + REQUIRED);
    for (String type : REQUIRED) {
      assertTrue(tensorflow.TFJ_HasGradient(type), type);
    }
    // Still differentiates twice, correctly, after the repeated calls.
    try (HvpFixture f =
        new HvpFixture(
            9,
            DataType.DT_DOUBLE,
            (g, tf) -> OpHvpTest.sum(tf, RawOps.op(tf, "Tanh", OpHvpTest.affine(g, tf))))) {
      OpHvpTest.assertHvpMatchesFiniteDifferences(f, 5, 0.5);
    }
  }

  /** Without a seed TensorFlow seeds with OnesLike(loss); its zero gradient makes HVPs buildable. */
  @Test
  void secondOrderWithoutExplicitSeedUsesOnesLikeGradient() {
    SecondOrderGradients.ensureRegistered();
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Output<?> x = placeholder(tf, DataType.DT_DOUBLE);
      Output<?> y = OpHvpTest.sum(tf, RawOps.op(tf, "Tanh", x));
      Output<?>[] grad = g.addGradients(y, new Output<?>[] {x}); // seeds with OnesLike(y)
      assertTrue(containsOpType(g, "OnesLike"));
      Output<?>[] hv = SecondOrderGradients.addGradients(g, null, grad, new Output<?>[] {x}, null);
      assertEquals(1, hv.length);
    }
  }

  private static final AtomicReference<String> MODE = new AtomicReference<>("ok");

  /**
   * A gradient that throws, returns null, or returns the wrong number of gradients makes
   * addGradients throw in the caller (with the Java failure attached), and the process keeps
   * working. "Rint" has no C++ gradient and no other use in this project; the registration is
   * process-wide, so the test owns that op type.
   */
  @Test
  void failingCallbackBecomesAnExceptionNotACrash() {
    synchronized (MODE) {
      if (!SecondOrderGradients.knownOpTypes().contains("Rint")) {
        assertFalse(tensorflow.TFJ_HasGradient("Rint"), "precondition: Rint has no C++ gradient");
        assertTrue(SecondOrderGradients.registerAdditional("Rint", RegistrationTest::rintGradient));
      }
      for (String mode : new String[] {"throw", "null", "count"}) {
        MODE.set(mode);
        try (Graph g = new Graph()) {
          Ops tf = Ops.create(g);
          Output<?> x = placeholder(tf, DataType.DT_DOUBLE);
          Output<?> y = OpHvpTest.sum(tf, RawOps.mul(tf, RawOps.op(tf, "Rint", x), x));
          RuntimeException e =
              assertThrows(
                  RuntimeException.class,
                  () ->
                      SecondOrderGradients.addGradients(
                          g, null, new Output<?>[] {y}, new Output<?>[] {x}, null));
          assertTrue(
              Arrays.stream(e.getSuppressed()).anyMatch(s -> s.getMessage().contains("Rint")),
              mode + ": " + e);
        }
      }
      MODE.set("ok");
      try (Graph g = new Graph()) {
        Ops tf = Ops.create(g);
        Output<?> x = placeholder(tf, DataType.DT_DOUBLE);
        Output<?> y = OpHvpTest.sum(tf, RawOps.mul(tf, RawOps.op(tf, "Rint", x), x));
        assertEquals(
            1,
            SecondOrderGradients.addGradients(g, null, new Output<?>[] {y}, new Output<?>[] {x}, null)
                .length);
      }
    }
    // Other gradients are unaffected.
    try (HvpFixture f =
        new HvpFixture(
            9,
            DataType.DT_DOUBLE,
            (g, tf) -> OpHvpTest.sum(tf, RawOps.op(tf, "Softplus", OpHvpTest.affine(g, tf))))) {
      OpHvpTest.assertHvpMatchesFiniteDifferences(f, 5, 0.5);
    }
  }

  /** Rint is piecewise constant: zero gradient, unless the test asks for a failure. */
  private static List<Operand<?>> rintGradient(
      Ops tf, org.tensorflow.GraphOperation op, List<Output<?>> upstream) {
    switch (MODE.get()) {
      case "throw":
        throw new IllegalStateException("deliberate failure");
      case "null":
        return null;
      case "count":
        return List.of(RawOps.zerosLike(tf, op.input(0)), RawOps.zerosLike(tf, op.input(0)));
      default:
        return List.of(RawOps.zerosLike(tf, op.input(0)));
    }
  }

  static Output<?> placeholder(Ops tf, DataType dtype) {
    return RawOps.builder(tf, "Placeholder")
        .setAttr("dtype", dtype)
        .setAttr("shape", Shape.of(3, 2))
        .build()
        .output(0);
  }

  static boolean containsOpType(Graph g, String type) {
    var it = g.operations();
    while (it.hasNext()) {
      if (it.next().type().equals(type)) {
        return true;
      }
    }
    return false;
  }
}
