package org.hesspec.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Renders one figure of each kind into a folder, for looking at them. */
final class FigureDemo {
  public static void main(String[] args) throws Exception {
    Path out = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "/tmp/report-demo"));
    for (Figure f : FigureGallery.all()) {
      FigureWriter.write(f, out);
    }
  }
}
