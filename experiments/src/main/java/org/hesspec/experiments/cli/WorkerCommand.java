package org.hesspec.experiments.cli;

import java.util.concurrent.Callable;
import org.hesspec.distributed.Worker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hesspec worker --port N}: a TensorFlow worker for experiments with
 * {@code cluster: {workers: [host:port, ...]}}. It blocks until the process is ended; the master
 * (the {@code hesspec run} process) copies each worker's data shard into it once per data set.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = {"Start a TensorFlow worker (gRPC) for experiments with cluster: {workers: [host:port, ...]}; runs until the process is ended.",
        "WARNING: the TensorFlow gRPC server has no authentication and listens on ALL network interfaces: anyone who can reach the"
            + " port can run any TensorFlow op in this process (read and write files). Run workers only on a private network."})
final class WorkerCommand implements Callable<Integer> {

  @Option(names = "--port", required = true, paramLabel = "N", description = "TCP port to listen on")
  int port;

  @Override
  public Integer call() {
    if (port < 1 || port > 65535) {
      throw new InputException("--port " + port + ": expected 1..65535");
    }
    Worker.start(port, System.out).join();
    return 0;
  }
}
