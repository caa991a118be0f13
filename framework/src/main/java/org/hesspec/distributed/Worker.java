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
 * <p>Started alone ({@code --port N}) it is task 0 of a one-task cluster; the master sends the whole
 * cluster with each session (TensorFlow's cluster propagation), so a worker needs to know nothing
 * of the others. {@code --task i --cluster a:p,b:q,...} starts it as task i of a fixed cluster
 * instead.
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

  /** The ServerDef of task {@code task} of {@code cluster}. */
  public static ServerDef serverDef(List<WorkerAddress> cluster, int task) {
    if (task < 0 || task >= cluster.size()) {
      throw new IllegalArgumentException("task " + task + ": expected 0.." + (cluster.size() - 1) + " for a cluster of " + cluster.size());
    }
    return ServerDef.newBuilder()
        .setCluster(clusterDef(cluster))
        .setJobName(JOB)
        .setTaskIndex(task)
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
   * Starts a worker on {@code port} (task 0 of a one-task cluster {@code localhost:port}) or, with
   * a cluster, as task {@code task} of it; prints the security warning to {@code out}. Returns the
   * running server (it cannot be closed: it ends with the process).
   */
  public static Server start(int port, Integer task, List<WorkerAddress> cluster, PrintStream out) {
    ServerDef def;
    if (cluster == null || cluster.isEmpty()) {
      def = ServerDef.newBuilder()
          .setCluster(ClusterDef.newBuilder().addJob(JobDef.newBuilder().setName(BOOT_JOB).putTasks(0, "localhost:" + port)))
          .setJobName(BOOT_JOB).setTaskIndex(0).setProtocol("grpc").build();
    } else {
      int t = task == null ? 0 : task;
      def = serverDef(cluster, t);
      if (cluster.get(t).port() != port) {
        throw new IllegalArgumentException("--port " + port + " differs from task " + t + "'s address " + cluster.get(t) + " in --cluster");
      }
    }
    out.println(SECURITY_WARNING);
    Server server = new Server(def);
    server.start();
    out.println("hesspec worker: TensorFlow server (job " + JOB + ", task " + def.getTaskIndex() + ") listening on port " + port
        + "; stop it by ending the process");
    out.flush();
    return server;
  }

  /**
   * {@code --port N [--task i --cluster host:port,...]}: starts a worker and blocks until the
   * process ends. Used by tests; the command line is {@code hesspec worker}.
   */
  public static void main(String[] args) {
    Integer port = null;
    Integer task = null;
    List<WorkerAddress> cluster = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--task" -> task = Integer.parseInt(args[++i]);
        case "--cluster" -> cluster = WorkerAddress.parseList(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; usage: --port N [--task i --cluster host:port,...]");
      }
    }
    if (port == null) {
      throw new IllegalArgumentException("usage: --port N [--task i --cluster host:port,...]");
    }
    Server server = start(port, task, cluster, System.out);
    server.join();
  }
}
