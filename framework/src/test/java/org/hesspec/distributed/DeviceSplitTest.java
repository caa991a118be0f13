package org.hesspec.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureGraph;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.curvature.Loss;
import org.hesspec.curvature.SessionSettings;
import org.hesspec.data.Dataset;
import org.hesspec.data.GaussianMixtureGenerator;
import org.hesspec.data.Split;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.Precision;
import org.junit.jupiter.api.Test;
import org.tensorflow.LocalDevices;
import org.tensorflow.proto.ConfigProto;

/**
 * The mini-batch sum split across devices of one process ({@link DistributedCurvature#onDevices}),
 * tested with logical CPU devices (the same code places shards on GPUs): every product equals the
 * single-device {@link CurvatureGraph}'s on the float64 tanh MLP of {@link DistributedCheck}, over 69
 * examples in 7 batches dealt to 2 and 3 devices (uneven shards, padded with zero-weight examples),
 * for cross-entropy and MSE; each device runs its own shard's ops (step statistics).
 *
 * <p>Tolerance 1e-12 relative: the same float64 ops, summed over batches in another order (per
 * device, then across devices), differ by rounding (1e-16 per addition over a few additions).
 */
class DeviceSplitTest {

  static final double TOLERANCE = 1e-12;

  @Test
  void logicalCpuDevicesAreListed() {
    List<LocalDevices.Device> devices = LocalDevices.list(ConfigProto.newBuilder().putDeviceCount("CPU", 3).build());
    assertEquals(3, devices.stream().filter(d -> d.type().equals("CPU")).count(), devices.toString());
    assertTrue(devices.stream().anyMatch(d -> d.name().endsWith("/device:CPU:2")), devices.toString());
  }

  @Test
  void productsOnTwoAndThreeDevicesEqualOneDevice() {
    ModelDefinition model = DistributedCheck.model();
    Dataset ds = GaussianMixtureGenerator.generate(3, 6, 3.0, 23, 5, Split.TRAIN);
    Random r = new Random(3);
    try (BatchedData data = BatchedData.of(ds, 10, Precision.FLOAT64)) {
      for (Loss loss : new Loss[] {Loss.CROSS_ENTROPY, Loss.MSE}) {
        try (CurvatureGraph local = new CurvatureGraph(model, loss, model.layout(), SessionSettings.defaults())) {
          double[] v = r.doubles(local.dimension(), -1, 1).toArray();
          for (int count : new int[] {2, 3}) {
            List<LocalDevice> devices = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
              devices.add(new LocalDevice("CPU", i));
            }
            try (DistributedCurvature split = DistributedCurvature.onDevices(model, loss, model.layout(), data,
                EnumSet.allOf(CurvatureOperator.class), devices, 1)) {
              double gradientError = relativeError(split.gradient(), local.gradient(data));
              assertTrue(gradientError <= TOLERANCE, loss + " gradient on " + count + " devices: " + gradientError);
              for (CurvatureOperator p : CurvatureOperator.values()) {
                double[] expected = local.apply(p, v, data);
                double[] got = split.apply(p, v);
                double error = relativeError(got, expected);
                assertTrue(error <= TOLERANCE, loss + " " + p + " on " + count + " devices: " + error);
              }
              Map<String, List<String>> trace = new LinkedHashMap<>();
              split.applyTraced(CurvatureOperator.HESSIAN, v, trace);
              int[] secondOrder = new int[count];
              for (Map.Entry<String, List<String>> e : trace.entrySet()) {
                int device = Integer.parseInt(e.getKey().substring(e.getKey().lastIndexOf(':') + 1));
                for (String node : e.getValue()) {
                  if (node.matches("w\\d+/.*")) {
                    int owner = Integer.parseInt(node.substring(1, node.indexOf('/')));
                    assertEquals(owner, device, node + " of shard " + owner + " ran on " + e.getKey());
                    if (node.contains("hesspec_hvp_hessian")) {
                      secondOrder[owner]++;
                    }
                  }
                }
              }
              for (int i = 0; i < count; i++) {
                assertTrue(secondOrder[i] > 0, "device " + i + " ran none of its Hessian-vector ops: " + trace.keySet());
              }
            }
          }
        }
      }
    }
  }

  @Test
  void badDeviceListsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> LocalDevice.parse("tpu:0"));
    assertThrows(IllegalArgumentException.class, () -> LocalDevice.parse("gpu"));
    assertThrows(IllegalArgumentException.class, () -> LocalDevice.parse("gpu:-1"));
    assertEquals(new LocalDevice("GPU", 1), LocalDevice.parse(" GPU:1 "));
    ModelDefinition model = DistributedCheck.model();
    Dataset ds = GaussianMixtureGenerator.generate(3, 6, 3.0, 5, 5, Split.TRAIN);
    try (BatchedData data = BatchedData.of(ds, 10, Precision.FLOAT64)) {
      IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> DistributedCurvature.onDevices(model,
          Loss.CROSS_ENTROPY, model.layout(), data, EnumSet.of(CurvatureOperator.HESSIAN), List.of(new LocalDevice("CPU", 0),
              new LocalDevice("CPU", 0)), 1));
      assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
      assertThrows(IllegalArgumentException.class, () -> DistributedCurvature.onDevices(model, Loss.CROSS_ENTROPY, model.layout(), data,
          EnumSet.of(CurvatureOperator.HESSIAN), List.of(), 1));
    }
  }

  /**
   * A non-finite product of the split names the operator, the parameter tensor and element, and why
   * (the local session's message, from the shared ModelGraph); labels beyond C are refused before
   * any data reaches a device, with the local session's message.
   */
  @Test
  void nonFiniteProductsAndBadLabelsGiveTheLocalMessages() {
    ModelDefinition model = DistributedCheck.model();
    double[] theta = model.theta();
    theta[4] = Double.NaN;
    ModelDefinition bad = model.withTheta(theta);
    Dataset ds = GaussianMixtureGenerator.generate(3, 6, 3.0, 5, 5, Split.TRAIN);
    try (BatchedData data = BatchedData.of(ds, 10, Precision.FLOAT64);
        DistributedCurvature split = DistributedCurvature.onDevices(bad, Loss.CROSS_ENTROPY, bad.layout(), data,
            EnumSet.of(CurvatureOperator.GAUSS_NEWTON), List.of(new LocalDevice("CPU", 0), new LocalDevice("CPU", 1)), 1)) {
      ArithmeticException e = assertThrows(ArithmeticException.class,
          () -> split.apply(CurvatureOperator.GAUSS_NEWTON, new double[split.dimension()]));
      String first = bad.layout().tensors().get(0).name();
      assertTrue(e.getMessage().contains("the distributed G product") && e.getMessage().contains("parameter tensor '")
          && e.getMessage().contains("parameters are not finite (parameter tensor '" + first + "', element 4"), e.getMessage());
    }
    Dataset wide = GaussianMixtureGenerator.generate(4, 6, 3.0, 5, 5, Split.TRAIN); // labels 0..3, the model has C = 3
    try (BatchedData data = BatchedData.of(wide, 10, Precision.FLOAT64)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DistributedCurvature.onDevices(model,
          Loss.CROSS_ENTROPY, model.layout(), data, EnumSet.of(CurvatureOperator.HESSIAN), List.of(new LocalDevice("CPU", 0)), 1));
      assertTrue(e.getMessage().contains("label 3 does not fit output"), e.getMessage());
    }
  }

  static double relativeError(double[] a, double[] b) {
    double d = 0;
    double n = 0;
    for (int i = 0; i < a.length; i++) {
      d += (a[i] - b[i]) * (a[i] - b[i]);
      n += b[i] * b[i];
    }
    return Math.sqrt(d / n);
  }
}
