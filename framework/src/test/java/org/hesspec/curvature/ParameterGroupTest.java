package org.hesspec.curvature;

import static org.hesspec.curvature.CurvatureNumerics.dense;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hesspec.data.Dataset;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.ParameterLayout;
import org.hesspec.model.ParameterTensor;
import org.junit.jupiter.api.Test;

/** Restricting the operators to a group of parameter tensors gives the diagonal block of the full matrices. */
class ParameterGroupTest {

  @Test
  void groupOperatorsAreDiagonalBlocksOfTheFullOperators() {
    ModelDefinition m = TestModels.mlp(4, 5, 3, 51, (tf, x) -> tf.math.tanh(x));
    Dataset d = TestModels.gaussianData(20, 4, 3, 52);
    ParameterLayout group = m.layout().select(List.of("param_2", "param_3")); // the second layer's kernel and bias
    assertEquals(5 * 5 + 5, group.dimension());
    try (BatchedData data = BatchedData.of(d, 8, m.precision());
        CurvatureGraph full = new CurvatureGraph(m, Loss.CROSS_ENTROPY, m.layout(), SessionSettings.defaults());
        CurvatureGraph block = new CurvatureGraph(m, Loss.CROSS_ENTROPY, group, SessionSettings.defaults())) {
      double[][][] f = {dense(full.operator(CurvatureOperator.HESSIAN, data)), dense(full.operator(CurvatureOperator.GAUSS_NEWTON, data)),
          dense(full.operator(CurvatureOperator.RESIDUAL_HESSIAN, data))};
      double[][][] b = {dense(block.operator(CurvatureOperator.HESSIAN, data)), dense(block.operator(CurvatureOperator.GAUSS_NEWTON, data)),
          dense(block.operator(CurvatureOperator.RESIDUAL_HESSIAN, data))};
      int offset = (int) m.layout().tensor("param_2").offset();
      double scale = CurvatureNumerics.frobenius(f[0]);
      // Same float64 arithmetic restricted to fewer outputs: equal to rounding (1e-12 relative bound).
      for (int o = 0; o < 3; o++) {
        for (int i = 0; i < b[o].length; i++) {
          for (int j = 0; j < b[o].length; j++) {
            assertEquals(f[o][offset + i][offset + j], b[o][i][j], 1e-12 * scale, "operator " + o + " at " + i + "," + j);
          }
        }
      }
    }
  }

  @Test
  void aPatternThatMatchesNoTensorIsNamed() {
    ModelDefinition m = TestModels.linearSoftmax(3, 2, 53);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.layout().select(List.of("conv_.*")));
    assertTrue(e.getMessage().contains("conv_.*") && e.getMessage().contains("param_0"), e.getMessage());
    List<String> names = m.layout().select(List.of(".*bias.*|param_1")).tensors().stream().map(ParameterTensor::name).toList();
    assertEquals(List.of("param_1"), names);
  }
}
