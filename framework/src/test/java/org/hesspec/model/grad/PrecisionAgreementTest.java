package org.hesspec.model.grad;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.Output;
import org.tensorflow.proto.DataType;

/**
 * The same networks built in float32 and float64 give the same HVP at the same point and
 * direction. Finite differences are useless in float32 (docs/mathematics.md, "Testing the numerics"), so float64 is the reference.
 *
 * <p>Tolerance 1e-5 relative: float32 carries ~6e-8 relative rounding per operation, and an HVP
 * accumulates a few hundred of them in sums whose terms partly cancel; errors seen are around 1e-7.
 * A formula that behaved differently in float32 (a constant built in the wrong dtype, an integer
 * division) would either fail to build or be off by order 1.
 */
class PrecisionAgreementTest {

  private static void assertAgree(int p, HvpFixture.LossBuilder b) {
    double[] th = HvpFixture.random(21, p, 0.5);
    double[] v = HvpFixture.random(22, p, 1.0);
    double[] single;
    double[] dbl;
    try (HvpFixture f = new HvpFixture(p, DataType.DT_FLOAT, b)) {
      single = f.hvp(th, v);
    }
    try (HvpFixture f = new HvpFixture(p, DataType.DT_DOUBLE, b)) {
      dbl = f.hvp(th, v);
    }
    double err = HvpFixture.relativeError(single, dbl);
    assertTrue(err < 1e-5, "float32 vs float64 relative difference " + err);
  }

  @Test
  void mlpWithTanh() {
    assertAgree(27, CompositionHessianTest::mlpTanh);
  }

  @Test
  void mlpWithReluAndSparseSoftmaxCrossEntropy() {
    Output<?>[] pre = new Output<?>[1];
    assertAgree(27, (f, tf) -> CompositionHessianTest.mlpRelu(f, tf, pre));
  }

  @Test
  void convNet() {
    assertAgree(38, CompositionHessianTest::convNet);
  }
}
