package org.hesspec.experiments.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The line protocol between {@code hesspec bench} and the processes it measures (a JVM per
 * workload and the PyTorch peer, {@code bench/torch_peer.py --serve}), which stay alive so that
 * their repetitions can alternate. A request is one line ({@code time METRIC}, {@code density
 * STEPS}, {@code slq STEPS}, {@code counts}, {@code quit}); the answer is lines {@code time
 * SECONDS}, {@code row WORKLOAD,TOOL,METRIC,UNIT,MEDIAN,MIN,MAX,RUNS,THREADS}, {@code meta
 * KEY=VALUE} or {@code error MESSAGE}, ended by {@code done}. Anything else a process prints on
 * its standard output is passed on as a log line.
 */
public final class WorkerProtocol {

  private WorkerProtocol() {}

  /** One answer: its time (NaN if none), rows and meta lines. */
  public record Answer(double time, List<BenchRow> rows, Map<String, String> meta) {}

  /** Parses the lines of one answer (without {@code done}); an {@code error} line throws, naming {@code who}. */
  static Answer parse(String who, List<String> lines, Consumer<String> log) {
    double time = Double.NaN;
    List<BenchRow> rows = new ArrayList<>();
    Map<String, String> meta = new LinkedHashMap<>();
    for (String line : lines) {
      if (line.startsWith("time ")) {
        time = Double.parseDouble(line.substring(5).strip());
      } else if (line.startsWith("row ")) {
        rows.add(BenchReport.parseRow(line.substring(4).strip()));
      } else if (line.startsWith("meta ")) {
        String kv = line.substring(5);
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException(who + ": malformed meta line '" + line + "', expected meta KEY=VALUE");
        }
        meta.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
      } else if (line.startsWith("error ")) {
        throw new IllegalStateException(who + ": " + line.substring(6));
      } else {
        log.accept(line);
      }
    }
    return new Answer(time, rows, meta);
  }

  /** Formats a row for the wire. */
  static String row(BenchRow r) {
    return "row " + BenchReport.csvLine(r);
  }

  /** A process speaking the protocol on its standard input and output (its standard error goes to ours). */
  public static final class Client implements AutoCloseable {
    private final String who;
    private final Process process;
    private final BufferedReader out;
    private final BufferedWriter in;
    private final Consumer<String> log;

    public Client(String who, ProcessBuilder pb, Consumer<String> log) throws IOException {
      this.who = who;
      this.log = log;
      pb.redirectError(ProcessBuilder.Redirect.INHERIT);
      this.process = pb.start();
      this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    }

    /** Reads the answer the process gives unasked when it is ready (its set-up). */
    public Answer ready() {
      return read();
    }

    /** Sends {@code request} and reads its answer. */
    public Answer call(String request) {
      try {
        in.write(request);
        in.write('\n');
        in.flush();
      } catch (IOException e) {
        throw new IllegalStateException(who + " is not running any more (request '" + request + "'): " + e.getMessage(), e);
      }
      return read();
    }

    /** One timed repetition of {@code metric}, in seconds. */
    public double time(String metric) {
      double t = call("time " + metric).time();
      if (Double.isNaN(t)) {
        throw new IllegalStateException(who + " answered 'time " + metric + "' without a time");
      }
      return t;
    }

    private Answer read() {
      List<String> lines = new ArrayList<>();
      try {
        for (String line = out.readLine(); ; line = out.readLine()) {
          if (line == null) {
            throw new IllegalStateException(who + " ended unexpectedly" + exitStatus());
          }
          if (line.equals("done")) {
            return parse(who, lines, log);
          }
          lines.add(line);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(who + ": cannot read its answer", e);
      }
    }

    private String exitStatus() {
      try {
        return process.waitFor(10, TimeUnit.SECONDS) ? " with exit status " + process.exitValue() : "";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "";
      }
    }

    /** Asks the process to quit and waits for it; kills it if it does not end within 30 s. */
    @Override
    public void close() {
      try {
        if (process.isAlive()) {
          in.write("quit\n");
          in.flush();
        }
      } catch (IOException e) {
        // already gone
      }
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Serves a hesspec workload on {@code in}/{@code out} until {@code quit} or end of input. The
   * first answer, unasked, says it is ready.
   */
  public static void serve(Benchmark b, BufferedReader in, PrintStream out, Consumer<String> log) throws IOException {
    out.println("meta metrics=" + String.join(" ", b.metrics()));
    out.println("done");
    out.flush();
    for (String line = in.readLine(); line != null && !line.strip().equals("quit"); line = in.readLine()) {
      String[] f = line.strip().split("\\s+");
      try {
        switch (f[0]) {
          case "time" -> out.println("time " + b.time(arg(f)));
          case "density" -> b.density(Integer.parseInt(arg(f)), log).forEach(r -> out.println(row(r)));
          case "counts" -> b.counts().forEach(r -> out.println(row(r)));
          default -> out.println("error unknown request '" + line.strip() + "'; expected time, density, counts or quit");
        }
      } catch (RuntimeException e) {
        out.println("error " + line.strip() + ": " + String.valueOf(e.getMessage()).replace('\n', ' '));
      }
      out.println("done");
      out.flush();
    }
  }

  private static String arg(String[] f) {
    if (f.length != 2) {
      throw new IllegalArgumentException("expected one argument");
    }
    return f[1];
  }
}
