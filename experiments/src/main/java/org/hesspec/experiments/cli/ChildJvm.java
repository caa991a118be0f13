package org.hesspec.experiments.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The command that runs this CLI in a child JVM the way the {@code hesspec} launcher runs it: the
 * same Java, the JDK's vector API module (without it float32 Lanczos takes its slower update, and
 * a run resumed in the child would not repeat its parent's bits), a headless AWT and this JVM's
 * class path.
 */
public final class ChildJvm {
  /** What the launcher adds for the vector API (see the launcher's comment). */
  public static final List<String> VECTOR_API = List.of("--add-modules", "jdk.incubator.vector");

  private ChildJvm() {}

  /** {@code java -Xmx<maxHeap> -Xss4m --add-modules jdk.incubator.vector ... Main args...}. */
  public static List<String> command(String maxHeap, List<String> args) {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx" + maxHeap, "-Xss4m"));
    cmd.addAll(VECTOR_API);
    cmd.addAll(List.of("-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(args);
    return cmd;
  }
}
