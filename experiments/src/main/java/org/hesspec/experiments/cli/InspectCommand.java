package org.hesspec.experiments.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.ModelInspection;
import org.hesspec.model.OutputKind;
import org.hesspec.model.ParameterTensor;
import org.hesspec.model.SavedModelImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hesspec inspect SAVEDMODEL}: signatures, parameter tensors and count, op types, missing derivatives. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Print a SavedModel's signatures, parameter tensors and count, op types, and missing second derivatives.")
final class InspectCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "SAVEDMODEL", description = "SavedModel folder")
  Path dir;

  @Option(names = "--signature", defaultValue = "serving_default", description = "signature to import [${DEFAULT-VALUE}]")
  String signature;

  @Option(names = "--input", description = "signature input key [the only input]")
  String input;

  @Option(names = "--output", description = "signature output key [the only output]")
  String output;

  @Option(names = "--output-kind", defaultValue = "logits", description = "logits | probabilities | log_probabilities")
  String outputKind;

  @Override
  public Integer call() {
    ModelInspection r = ModelInspection.of(dir, new SavedModelImporter.Options(signature, input, output, OutputKind.parse(outputKind)));
    System.out.println("SavedModel " + dir);
    System.out.println();
    System.out.println("Signatures:");
    for (Map.Entry<String, List<String>> e : r.signatures().entrySet()) {
      System.out.println("  " + e.getKey());
      e.getValue().forEach(l -> System.out.println("    " + l));
    }
    System.out.println();
    ModelDefinition m = r.model();
    if (m == null) {
      System.out.println("Cannot import signature '" + signature + "': " + r.importError());
    } else {
      System.out.println("Parameters (theta order; " + m.layout().tensors().size() + " tensors, p = " + m.layout().dimension() + "):");
      for (ParameterTensor t : m.layout().tensors()) {
        System.out.printf("  %-40s %-20s %12d  offset %d%n", t.name(), java.util.Arrays.toString(t.shape()), t.size(), t.offset());
      }
      System.out.println("  total: " + m.layout().dimension());
    }
    System.out.println();
    System.out.println("Op types (" + (m == null ? "whole graph and functions" : "function graph of the output") + "):");
    r.opTypes().forEach((op, n) -> System.out.printf("  %-36s %d%n", op, n));
    boolean supported = DerivativeReport.print(m);
    return m == null || !supported ? Main.INPUT_ERROR : 0;
  }
}
