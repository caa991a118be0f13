package org.hesspec.curvature;

import static org.hesspec.curvature.CurvatureNumerics.dense;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hesspec.data.Dataset;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.OutputKind;
import org.junit.jupiter.api.Test;

/** Probability and log-probability outputs give the operators of the logits model; bad values are named. */
class OutputKindAndErrorsTest {

  static ModelDefinition linear(OutputKind kind) {
    return TestModels.model("linear-" + kind, new long[] {4}, 3, List.of(new long[] {4, 3}, new long[] {3}), 0.7, 11, (tf, x, p) -> {
      var z = tf.math.add(tf.linalg.matMul(x, p.get(0)), p.get(1));
      return switch (kind) {
        case LOGITS -> z;
        case PROBABILITIES -> tf.nn.softmax(z);
        case LOG_PROBABILITIES -> tf.nn.logSoftmax(z);
      };
    }, kind);
  }

  @Test
  void probabilityAndLogProbabilityOutputsGiveTheSameOperators() {
    Dataset d = TestModels.gaussianData(24, 4, 3, 12);
    double[][][] reference = null;
    for (OutputKind kind : OutputKind.values()) {
      ModelDefinition m = linear(kind);
      try (CurvatureGraph g = new CurvatureGraph(m, Loss.CROSS_ENTROPY, m.layout(), SessionSettings.defaults());
          BatchedData data = BatchedData.of(d, 10, m.precision())) {
        double[][][] ops = {dense(g.operator(CurvatureOperator.HESSIAN, data)), dense(g.operator(CurvatureOperator.GAUSS_NEWTON, data)),
            dense(g.operator(CurvatureOperator.RESIDUAL_HESSIAN, data))};
        if (reference == null) {
          reference = ops;
          continue;
        }
        double scale = CurvatureNumerics.frobenius(reference[0]);
        // log(softmax(z)) differs from z by a per-example constant: same loss, same derivatives up
        // to float64 rounding of the extra softmax/log (~1e-15 relative); 1e-10 is a safe bound.
        for (int o = 0; o < 3; o++) {
          for (int i = 0; i < ops[o].length; i++) {
            for (int j = 0; j < ops[o].length; j++) {
              assertEquals(reference[o][i][j], ops[o][i][j], 1e-10 * scale, kind + " operator " + o + " at " + i + "," + j);
            }
          }
        }
      }
    }
  }

  @Test
  void gaussNewtonIsSymmetricPositiveSemidefinite() {
    ModelDefinition m = TestModels.linearSoftmax(5, 4, 21);
    Dataset d = TestModels.gaussianData(30, 5, 4, 22);
    try (CurvatureGraph g = new CurvatureGraph(m, Loss.CROSS_ENTROPY, m.layout(), SessionSettings.defaults());
        BatchedData data = BatchedData.of(d, 30, m.precision())) {
      double[][] gn = dense(g.operator(CurvatureOperator.GAUSS_NEWTON, data));
      double scale = CurvatureNumerics.frobenius(gn);
      for (int i = 0; i < gn.length; i++) {
        for (int j = 0; j < i; j++) {
          assertEquals(gn[i][j], gn[j][i], 1e-13 * scale);
        }
      }
      double[] ev = org.hesspec.structure.GramSpectra.eigenvaluesDescending(gn);
      // Softmax shift symmetry gives exact zero eigenvalues; rounding may make them -1e-16 * scale.
      assertTrue(ev[ev.length - 1] > -1e-12 * scale, "smallest eigenvalue " + ev[ev.length - 1]);
    }
  }

  @Test
  void nonFiniteProductNamesTheParameterTensor() {
    ModelDefinition m = TestModels.linearSoftmax(3, 2, 31);
    double[] theta = m.theta();
    theta[3] = Double.NaN; // element 3 of the kernel [3, 2]
    ModelDefinition bad = m.withTheta(theta);
    Dataset d = TestModels.gaussianData(5, 3, 2, 32);
    try (CurvatureGraph g = new CurvatureGraph(bad, Loss.CROSS_ENTROPY, bad.layout(), SessionSettings.defaults());
        BatchedData data = BatchedData.of(d, 5, bad.precision())) {
      ArithmeticException e = assertThrows(ArithmeticException.class, () -> g.operator(CurvatureOperator.HESSIAN, data).apply(new double[8]));
      assertTrue(e.getMessage().contains("param_0") || e.getMessage().contains("param_1"), e.getMessage());
    }
  }

  @Test
  void mismatchedLabelsAreRejected() {
    ModelDefinition m = TestModels.linearSoftmax(3, 2, 41);
    Dataset d = TestModels.gaussianData(5, 3, 4, 42); // labels up to 3, model has C = 2
    try (CurvatureGraph g = new CurvatureGraph(m, Loss.CROSS_ENTROPY, m.layout(), SessionSettings.defaults());
        BatchedData data = BatchedData.of(d, 5, m.precision())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.operator(CurvatureOperator.HESSIAN, data).apply(new double[8]));
      assertTrue(e.getMessage().contains("C=2"), e.getMessage());
    }
  }
}
