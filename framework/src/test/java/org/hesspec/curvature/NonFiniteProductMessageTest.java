package org.hesspec.curvature;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hesspec.data.Dataset;
import org.hesspec.model.ModelDefinition;
import org.junit.jupiter.api.Test;

/**
 * A NaN or infinite product names the operator and says which is not finite: the data (with the
 * batch and the example) or the model's parameters (with the tensor and the element).
 */
class NonFiniteProductMessageTest {

  @Test
  void nonFiniteParametersAreNamed() {
    ModelDefinition m = TestModels.linearSoftmax(3, 2, 31);
    double[] theta = m.theta();
    theta[3] = Double.NaN; // element 3 of the first tensor (the kernel [3, 2])
    ModelDefinition bad = m.withTheta(theta);
    Dataset d = TestModels.gaussianData(5, 3, 2, 32);
    try (CurvatureGraph g = new CurvatureGraph(bad, Loss.CROSS_ENTROPY, bad.layout(), SessionSettings.defaults());
        BatchedData data = BatchedData.of(d, 5, bad.precision())) {
      ArithmeticException e = assertThrows(ArithmeticException.class, () -> g.operator(CurvatureOperator.GAUSS_NEWTON, data).apply(new double[8]));
      String msg = e.getMessage();
      assertTrue(msg.contains("the G product") && msg.contains("parameters are not finite")
          && msg.contains("'" + bad.layout().tensors().get(0).name() + "', element 3"), msg);
    }
  }

  @Test
  void aTopEigenRunWithItsBasisInTheSessionNamesTheCause() {
    ModelDefinition m = TestModels.linearSoftmax(3, 2, 51);
    Dataset d = TestModels.gaussianData(10, 3, 2, 52);
    float[] x = d.features().clone();
    x[2 * 3] = Float.POSITIVE_INFINITY; // example 2: in the first batch
    Dataset bad = new Dataset(d.name(), x, d.exampleShape(), d.labels(), d.targets(), d.targetWidth(), d.numClasses());
    try (CurvatureGraph g = new CurvatureGraph(m, Loss.CROSS_ENTROPY, m.layout(), SessionSettings.defaults());
        BatchedData data = BatchedData.of(bad, 5, m.precision())) {
      ArithmeticException e = assertThrows(ArithmeticException.class,
          () -> org.hesspec.spectral.TopEigen.compute(g.operator(CurvatureOperator.HESSIAN, data),
              org.hesspec.spectral.TopEigenConfig.of(2, 53)));
      String msg = e.getMessage();
      assertTrue(msg.contains("the hessian product in a top-eigen step") && msg.contains("data are not finite")
          && msg.contains("example 2"), msg);
    }
  }

  @Test
  void nonFiniteDataNameTheBatchAndTheExample() {
    ModelDefinition m = TestModels.linearSoftmax(3, 2, 41);
    Dataset d = TestModels.gaussianData(10, 3, 2, 42);
    float[] x = d.features().clone();
    x[7 * 3 + 1] = Float.NaN; // example 7: in the second batch of 5
    Dataset bad = new Dataset(d.name(), x, d.exampleShape(), d.labels(), d.targets(), d.targetWidth(), d.numClasses());
    try (CurvatureGraph g = new CurvatureGraph(m, Loss.CROSS_ENTROPY, m.layout(), SessionSettings.defaults());
        BatchedData data = BatchedData.of(bad, 5, m.precision())) {
      ArithmeticException e = assertThrows(ArithmeticException.class, () -> g.operator(CurvatureOperator.HESSIAN, data).apply(new double[8]));
      String msg = e.getMessage();
      assertTrue(msg.contains("the hessian product") && msg.contains("data are not finite") && msg.contains("batch 2 of 2")
          && msg.contains("example 7"), msg);
    }
  }
}
