package org.hesspec.curvature;

import static org.hesspec.curvature.CurvatureNumerics.dense;
import static org.hesspec.curvature.CurvatureNumerics.relativeError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.data.Dataset;
import org.hesspec.model.ModelDefinition;
import org.junit.jupiter.api.Test;

/** For a linear softmax model z = xW + b the logits are linear in theta, so H = 0 and Hess = G. */
class LinearModelCurvatureTest {

  @Test
  void hessianEqualsGaussNewtonAndResidualHessianVanishes() {
    ModelDefinition m = TestModels.linearSoftmax(6, 4, 1);
    Dataset d = TestModels.gaussianData(50, 6, 4, 2);
    try (CurvatureGraph g = new CurvatureGraph(m, Loss.CROSS_ENTROPY, m.layout(), SessionSettings.defaults());
        BatchedData data = BatchedData.of(d, 16, m.precision())) {
      double[][] hess = dense(g.operator(CurvatureOperator.HESSIAN, data));
      double[][] gn = dense(g.operator(CurvatureOperator.GAUSS_NEWTON, data));
      double[][] h = dense(g.operator(CurvatureOperator.RESIDUAL_HESSIAN, data));
      double scale = CurvatureNumerics.frobenius(hess);
      // Float64 rounding over p = 28 products of 50 examples: errors around 1e-16 * scale; 1e-12 leaves room.
      for (int i = 0; i < hess.length; i++) {
        for (int j = 0; j < hess.length; j++) {
          assertEquals(hess[i][j], gn[i][j], 1e-12 * scale, "Hess vs G at " + i + "," + j);
          assertEquals(0.0, h[i][j], 1e-12 * scale, "H at " + i + "," + j);
        }
      }
    }
  }

  @Test
  void hessianVectorProductMatchesFiniteDifferences() {
    ModelDefinition m = TestModels.linearSoftmax(5, 3, 3);
    Dataset d = TestModels.gaussianData(40, 5, 3, 4);
    try (CurvatureGraph g = new CurvatureGraph(m, Loss.CROSS_ENTROPY, m.layout(), SessionSettings.defaults());
        BatchedData data = BatchedData.of(d, 7, m.precision())) {
      double[] v = new Random(5).doubles(g.dimension(), -1, 1).toArray();
      double[] hv = g.apply(CurvatureOperator.HESSIAN, v, data);
      double[] fd = CurvatureNumerics.finiteDifferenceHv(g, data, m.theta(), v, 1e-5);
      // Central differences on a smooth loss: truncation O(h^2) ~ 1e-10, rounding ~ 1e-16/h ~ 1e-11.
      double err = relativeError(fd, hv);
      assertTrue(err < 1e-6, "relative error " + err);
    }
  }

  @Test
  void productsDoNotDependOnTheBatchSize() {
    ModelDefinition m = TestModels.linearSoftmax(5, 3, 6);
    Dataset d = TestModels.gaussianData(37, 5, 3, 7);
    double[] v = new Random(8).doubles(18, -1, 1).toArray();
    double[] reference = null;
    for (int batch : new int[] {37, 10, 1}) {
      try (CurvatureGraph g = new CurvatureGraph(m, Loss.CROSS_ENTROPY, m.layout(), SessionSettings.defaults());
          BatchedData data = BatchedData.of(d, batch, m.precision())) {
        double[] hv = g.apply(CurvatureOperator.GAUSS_NEWTON, v, data);
        if (reference == null) {
          reference = hv;
        } else {
          // Only the summation order changes: float64 rounding, ~1e-16 relative per term.
          assertTrue(relativeError(hv, reference) < 1e-13, "batch " + batch);
        }
      }
    }
  }
}
