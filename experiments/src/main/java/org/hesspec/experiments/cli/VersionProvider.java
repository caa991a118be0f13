package org.hesspec.experiments.cli;

import picocli.CommandLine.IVersionProvider;

/** hesspec's version (from the jar manifest when packaged) and TensorFlow's. */
final class VersionProvider implements IVersionProvider {
  static String hesspecVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"hesspec " + hesspecVersion(), "TensorFlow " + org.tensorflow.TensorFlow.version()};
  }
}
