package org.hesspec.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.curvature.Loss;
import org.hesspec.data.Dataset;
import org.hesspec.data.GaussianMixtureGenerator;
import org.hesspec.data.Split;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker that is down gives an error naming it within the stated time, never a hang. Only
 * loopback addresses; no TensorFlow server is started (the session is a gRPC client only).
 */
class DownWorkerTest {

  /** A loopback port with nothing listening (bound, then released). */
  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static DistributedCurvature open(List<WorkerAddress> workers, DistributedSettings settings) {
    ModelDefinition model = DistributedCheck.model();
    Dataset ds = GaussianMixtureGenerator.generate(3, 6, 3.0, 4, 5, Split.TRAIN);
    try (BatchedData data = BatchedData.of(ds, 5, Precision.FLOAT64)) {
      return new DistributedCurvature(model, Loss.CROSS_ENTROPY, model.layout(), data, EnumSet.of(CurvatureOperator.HESSIAN), workers, settings);
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void workerWithNothingListeningIsNamedWithinTheConnectTimeout() throws IOException {
    WorkerAddress down = new WorkerAddress("127.0.0.1", freePort());
    long t0 = System.nanoTime();
    WorkerUnavailableException e = assertThrows(WorkerUnavailableException.class,
        () -> open(List.of(down), new DistributedSettings(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10))));
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(seconds < 6, "took " + seconds + " s");
    assertTrue(e.getMessage().contains(down.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("within 5 s"), e.getMessage());
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void silentWorkerTimesOutSessionCreation() throws Exception {
    // Accepts TCP connections and never answers: the port check passes, TensorFlow would wait forever.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new ArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(silent.accept());
          }
        } catch (IOException closed) {
          // test over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      WorkerAddress w = new WorkerAddress("127.0.0.1", silent.getLocalPort());
      long t0 = System.nanoTime();
      WorkerUnavailableException e = assertThrows(WorkerUnavailableException.class,
          () -> open(List.of(w), new DistributedSettings(Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofSeconds(10))));
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertTrue(seconds < 10, "took " + seconds + " s");
      assertTrue(e.getMessage().contains(w.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("within 3 s"), e.getMessage());
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  @Test
  void oneDownWorkerAmongLiveOnesIsTheOneNamed() throws IOException {
    try (ServerSocket live = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      WorkerAddress up = new WorkerAddress("127.0.0.1", live.getLocalPort());
      WorkerAddress down = new WorkerAddress("127.0.0.1", freePort());
      WorkerUnavailableException e = assertThrows(WorkerUnavailableException.class,
          () -> Connectivity.checkReachable(List.of(up, down), Duration.ofSeconds(2)));
      assertTrue(e.getMessage().contains(down.toString()), e.getMessage());
      assertTrue(!e.getMessage().contains(up + " ("), e.getMessage());
    }
  }

  @Test
  void addressesParse() {
    assertEquals(new WorkerAddress("127.0.0.1", 7000), WorkerAddress.parse("127.0.0.1:7000"));
    assertEquals(new WorkerAddress("::1", 7001), WorkerAddress.parse("[::1]:7001"));
    assertEquals("[::1]:7001", WorkerAddress.parse("[::1]:7001").toString());
    assertEquals(2, WorkerAddress.parseList("localhost:1, localhost:2").size());
    assertThrows(IllegalArgumentException.class, () -> WorkerAddress.parse("::1:7000"));
    assertThrows(IllegalArgumentException.class, () -> WorkerAddress.parse("host"));
    assertThrows(IllegalArgumentException.class, () -> WorkerAddress.parse("host:99999"));
  }

  @Test
  void clusterAndDevices() {
    var c = Worker.clusterDef(List.of(WorkerAddress.parse("127.0.0.1:7000"), WorkerAddress.parse("127.0.0.1:7001")));
    assertEquals("worker", c.getJob(0).getName());
    assertEquals("127.0.0.1:7001", c.getJob(0).getTasksMap().get(1));
    assertEquals("/job:worker/replica:0/task:1/device:CPU:0", Worker.device(1));
  }
}
