package org.hesspec.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hesspec.build.PomLicences.Coordinates;
import org.hesspec.build.PomLicences.Kind;
import org.hesspec.build.PomLicences.Licence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's licence check: every artifact on the resolved run-time class path of the command
 * line (which includes the framework's) must pass the policy of {@link PomLicences} (no GPL or
 * AGPL; LGPL allowed). Maven writes the resolved list to {@code target/runtime-dependencies.txt}
 * (the {@code runtime-dependency-list} execution in this module's POM) before the tests run, so
 * the check sees exactly what {@code mvn verify} resolved, transitive dependencies included.
 */
class RuntimeLicencesTest {

  private static final Path LIST = Path.of("target", "runtime-dependencies.txt");

  /** One line of {@code dependency:list}: {@code g:a:type[:classifier]:version:scope:path}. */
  record Resolved(Coordinates coordinates, Path file) {
    static Resolved parse(String line) {
      String s = line.strip();
      int module = s.indexOf(" -- module");
      if (module >= 0) {
        s = s.substring(0, module);
      }
      String[] f = s.split(":");
      if (f.length != 6 && f.length != 7) {
        throw new IllegalArgumentException("unexpected dependency:list line: " + line);
      }
      String version = f[f.length - 3];
      return new Resolved(new Coordinates(f[0], f[1], version), Path.of(f[f.length - 1]));
    }

    /** The local repository the file was resolved into (its folder minus g/a/v). */
    Path repository() {
      Path dir = file.getParent().getParent().getParent();
      for (int i = 1; i < coordinates.groupId().split("\\.").length; i++) {
        dir = dir.getParent();
      }
      return dir.getParent();
    }
  }

  @Test
  void noGplArtifactOnTheRuntimeClassPath() throws Exception {
    assertTrue(Files.isRegularFile(LIST),
        LIST.toAbsolutePath() + " is missing: run the tests through Maven (mvn verify), whose "
            + "runtime-dependency-list execution writes it");
    List<String> violations = new ArrayList<>();
    StringBuilder table = new StringBuilder();
    int checked = 0;
    for (String line : Files.readAllLines(LIST)) {
      if (!line.startsWith("   ") || line.isBlank()) {
        continue; // the header line and blank lines
      }
      Resolved r = Resolved.parse(line);
      if (r.coordinates().groupId().equals("org.hesspec")) {
        continue; // this project's own modules, from the reactor
      }
      List<Licence> licences = PomLicences.of(r.coordinates(), r.repository());
      table.append(r.coordinates()).append(": ").append(licences).append('\n');
      if (licences.isEmpty()) {
        violations.add(r.coordinates() + " declares no licence");
      } else if (!PomLicences.allowed(licences)) {
        violations.add(r.coordinates() + " is " + licences);
      }
      checked++;
    }
    System.out.print("Run-time class path licences:\n" + table);
    assertTrue(checked >= 10, "only " + checked + " artifacts in " + LIST + ": list not resolved?");
    if (!violations.isEmpty()) {
      fail("GPL/AGPL or unlicensed artifacts on the run-time class path (hesspec is Apache-2.0; "
          + "see PomLicences for the policy):\n  " + String.join("\n  ", violations));
    }
  }

  @Test
  void policyTellsTheGplFamilyApart() {
    assertEquals(Kind.GPL, kind("GNU General Public License (GPL)", ""));
    assertEquals(Kind.GPL, kind("GPLv3", "https://www.gnu.org/licenses/gpl-3.0.html"));
    assertEquals(Kind.GPL, kind("GNU General Public Licence, version 2", ""));
    assertEquals(Kind.AGPL, kind("GNU Affero General Public License v3", ""));
    assertEquals(Kind.AGPL, kind("AGPL-3.0-only", ""));
    assertEquals(Kind.LGPL, kind("GNU Lesser General Public Licence", ""));
    assertEquals(Kind.LGPL, kind("LGPL-2.1-or-later", "http://www.gnu.org/licenses/lgpl.html"));
    assertEquals(Kind.GPL_CLASSPATH_EXCEPTION, kind("GPLv2 with Classpath exception", ""));
    assertEquals(Kind.PERMISSIVE, kind("Apache License, Version 2.0", ""));
    assertEquals(Kind.PERMISSIVE, kind("BSD-3-Clause", "https://opensource.org/licenses/BSD"));
    // Dual licences are the user's choice: one acceptable licence is enough.
    assertTrue(PomLicences.allowed(List.of(new Licence("Apache License, Version 2.0", ""),
        new Licence("GNU General Public License (GPL) version 2, or any later version", ""))));
    assertFalse(PomLicences.allowed(List.of(new Licence("GPL-2.0", ""),
        new Licence("GNU Affero General Public License", ""))));
    assertFalse(PomLicences.allowed(List.of()));
  }

  private static Kind kind(String name, String url) {
    return PomLicences.classify(new Licence(name, url));
  }

  @Test
  void licencesAreInheritedFromParentPoms(@TempDir Path repo) throws Exception {
    pom(repo, "org.example", "parent", "1", "", licence("GNU General Public License v3"));
    pom(repo, "org.example", "child", "2", parent("org.example", "parent", "1"), "");
    pom(repo, "org.example.deep", "own", "3", parent("org.example", "parent", "1"),
        licence("MIT License"));
    List<Licence> inherited = PomLicences.of(new Coordinates("org.example", "child", "2"), repo);
    assertEquals(List.of(new Licence("GNU General Public License v3", "")), inherited);
    assertFalse(PomLicences.allowed(inherited));
    assertEquals(List.of(new Licence("MIT License", "")),
        PomLicences.of(new Coordinates("org.example.deep", "own", "3"), repo));
    IllegalStateException missing = assertThrows(IllegalStateException.class,
        () -> PomLicences.of(new Coordinates("org.example", "absent", "1"), repo));
    assertTrue(missing.getMessage().contains("org.example:absent:1"), missing.getMessage());
  }

  @Test
  void dependencyListLinesParse() {
    Resolved plain = Resolved.parse("   org.jfree:jfreechart:jar:1.5.6:compile:"
        + "/r/org/jfree/jfreechart/1.5.6/jfreechart-1.5.6.jar -- module org.jfree.chart [auto]");
    assertEquals(new Coordinates("org.jfree", "jfreechart", "1.5.6"), plain.coordinates());
    assertEquals(Path.of("/r"), plain.repository());
    Resolved classified = Resolved.parse("   org.tensorflow:tensorflow-core-native:jar:"
        + "linux-x86_64:1.1.0:compile:/m2/org/tensorflow/tensorflow-core-native/1.1.0/x.jar");
    assertEquals(new Coordinates("org.tensorflow", "tensorflow-core-native", "1.1.0"),
        classified.coordinates());
    assertEquals(Path.of("/m2"), classified.repository());
  }

  private static String licence(String name) {
    return "<licenses><license><name>" + name + "</name></license></licenses>";
  }

  private static String parent(String g, String a, String v) {
    return "<parent><groupId>" + g + "</groupId><artifactId>" + a + "</artifactId><version>" + v
        + "</version></parent>";
  }

  private static void pom(Path repo, String g, String a, String v, String parent, String licences)
      throws Exception {
    Path file = new Coordinates(g, a, v).pomIn(repo);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "<?xml version=\"1.0\"?>\n"
        + "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">" + parent
        + "<artifactId>" + a + "</artifactId>" + licences
        + "<dependencies><dependency><licenses><license><name>decoy</name></license></licenses>"
        + "</dependency></dependencies></project>\n");
  }
}
