package org.hesspec.distributed;

import java.io.PrintStream;
import java.util.List;
import org.tensorflow.Server;
import org.tensorflow.proto.ClusterDef;
import org.tensorflow.proto.JobDef;
import org.tensorflow.proto.ServerDef;

/**
 * A TensorFlow worker process: an in-process gRPC server of job {@value #JOB}. A master process
 * places the per-shard products of a {@link DistributedCurvature} on it and keeps the shard's data
 * in its variables.
 *
 * <p>A worker knows nothing of the others: it boots as task 0 of a one-task job {@value #BOOT_JOB},
 * and the master sends the whole cluster (job {@value #JOB}, the workers as tasks 0..n-1, in the
 * order of the experiment's {@code cluster.workers}) with each session, TensorFlow's cluster
 * propagation. Each session's variables (theta, v, the data shards) are its own (TensorFlow's
 * isolated session state).
 *
 * <p>TensorFlow cannot shut such a server down cleanly ({@code Server.close()} throws "Clean
 * shutdown is not currently implemented"): the worker ends with its process.
 */
public final class Worker {

  /** The job name of every worker. */
  public static final String JOB = "worker";

  /**
   * The job a stand-alone worker boots as: TensorFlow refuses a session cluster (job {@value #JOB})
   * that repeats the job and task the server booted with.
   */
  public static final String BOOT_JOB = "hesspec_boot";

  /** Printed when a worker starts. */
  public static final String SECURITY_WARNING =
      "WARNING: the TensorFlow gRPC server has no authentication and listens on ALL network interfaces, whatever host is named:"
          + " anyone who can reach this port can run any TensorFlow op in this process (read and write files)."
          + " Run workers only on a private network.";

  private Worker() {}

  /**
   * The ServerDef of a stand-alone worker on {@code port}: task 0 of a one-task job
   * {@value #BOOT_JOB}. The master names it task i of job {@value #JOB} in each session.
   */
  public static ServerDef serverDef(int port) {
    return ServerDef.newBuilder()
        .setCluster(ClusterDef.newBuilder().addJob(JobDef.newBuilder().setName(BOOT_JOB).putTasks(0, "localhost:" + port)))
        .setJobName(BOOT_JOB)
        .setTaskIndex(0)
        .setProtocol("grpc")
        .build();
  }

  /** One job {@value #JOB} with the workers as tasks 0..n-1. */
  public static ClusterDef clusterDef(List<WorkerAddress> workers) {
    JobDef.Builder job = JobDef.newBuilder().setName(JOB);
    for (int i = 0; i < workers.size(); i++) {
      job.putTasks(i, workers.get(i).toString());
    }
    return ClusterDef.newBuilder().addJob(job).build();
  }

  /** The device of task {@code task}: {@code /job:worker/replica:0/task:i/device:CPU:0}. */
  public static String device(int task) {
    return "/job:" + JOB + "/replica:0/task:" + task + "/device:CPU:0";
  }

  /**
   * Starts a worker on {@code port} and prints the security warning to {@code out}. Returns the
   * running server (it cannot be closed: it ends with the process).
   */
  public static Server start(int port, PrintStream out) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + ": expected 1..65535");
    }
    out.println(SECURITY_WARNING);
    out.flush();
    Server server = new Server(serverDef(port));
    server.start();
    out.println("hesspec worker: TensorFlow server listening on port " + port + " (all interfaces); stop it by ending the process");
    out.flush();
    return server;
  }

  /** {@code --port N}: starts a worker and blocks until the process ends. Used by tests; the command line is {@code hesspec worker}. */
  public static void main(String[] args) {
    if (args.length != 2 || !args[0].equals("--port")) {
      throw new IllegalArgumentException("usage: --port N");
    }
    Server server = start(Integer.parseInt(args[1]), System.out);
    server.join();
  }
}
