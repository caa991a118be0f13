package org.hesspec.experiments.run;

import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.curvature.Loss;
import org.hesspec.distributed.DistributedCurvature;
import org.hesspec.distributed.DistributedSettings;
import org.hesspec.distributed.LocalDevice;
import org.hesspec.distributed.WorkerAddress;
import org.hesspec.experiments.config.ClusterConfig;
import org.hesspec.experiments.config.ExperimentConfig;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.ParameterLayout;
import org.tensorflow.LocalDevices;

/**
 * The curvature operators of an experiment with {@code cluster: {workers: [...]}}: products on the
 * TensorFlow workers ({@code hesspec worker --port N}), one {@link DistributedCurvature} per
 * parameter group and split. The class-structure analysis (weighted VJPs, class means) still runs
 * in this process.
 */
public final class ClusterOperators {

  private ClusterOperators() {}

  public static DistributedCurvature open(ExperimentConfig config, ClusterConfig cluster, ModelDefinition model, Loss loss,
      ParameterLayout selection, BatchedData data, Consumer<String> log) {
    List<WorkerAddress> workers = cluster.workers().stream().map(w -> new WorkerAddress(w.host(), w.port())).toList();
    EnumSet<CurvatureOperator> products = EnumSet.copyOf(config.operators());
    if (workers.isEmpty()) {
      List<LocalDevice> devices = devices(cluster, config);
      log.accept("cluster: the mini-batch sum split across " + devices.size() + " device" + (devices.size() == 1 ? "" : "s")
          + " of this process " + devices);
      return DistributedCurvature.onDevices(model, loss, selection, data, products, devices, Runtime.getRuntime().availableProcessors());
    }
    log.accept("cluster: products on " + workers.size() + " TensorFlow worker" + (workers.size() == 1 ? "" : "s") + " " + workers
        + " (task 0 is the master)");
    return new DistributedCurvature(model, loss, selection, data, products, workers, DistributedSettings.defaults());
  }

  /** The devices of {@code cluster.devices}; {@code gpus} is every GPU TensorFlow sees (an error when it sees none). */
  static List<LocalDevice> devices(ClusterConfig cluster, ExperimentConfig config) {
    if (!cluster.devices().equals(List.of(ClusterConfig.ALL_GPUS))) {
      return cluster.devices().stream().map(LocalDevice::parse).toList();
    }
    List<LocalDevice> gpus = new java.util.ArrayList<>();
    for (LocalDevices.Device d : LocalDevices.list(null)) {
      if (d.type().equals("GPU")) {
        gpus.add(new LocalDevice("GPU", gpus.size()));
      }
    }
    if (gpus.isEmpty()) {
      throw new RunInputException(config.file() + ": cluster.devices: gpus, but TensorFlow sees no GPU (CPU natives, or no CUDA 12 "
          + "and cuDNN 9 on this machine: build with mvn -Pgpu)");
    }
    return gpus;
  }
}
