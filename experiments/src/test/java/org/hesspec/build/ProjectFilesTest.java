package org.hesspec.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** LICENSE, NOTICE and CITATION.cff say what the build actually is. */
class ProjectFilesTest {

  /** Tests run in the module folder; the repository root is one level up. */
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void licenceIsApache2() throws Exception {
    String licence = Files.readString(ROOT.resolve("LICENSE"));
    assertTrue(licence.contains("Apache License") && licence.contains("Version 2.0, January 2004"));
    assertTrue(licence.contains("END OF TERMS AND CONDITIONS"), "the full text, not a pointer");
  }

  @Test
  @SuppressWarnings("unchecked")
  void citationHasTheRequiredKeysAndTheBuildsVersion() throws Exception {
    Map<String, Object> cff = (Map<String, Object>) new Load(LoadSettings.builder().build())
        .loadFromString(Files.readString(ROOT.resolve("CITATION.cff")));
    assertEquals("1.2.0", cff.get("cff-version"));
    for (String key : List.of("message", "title", "authors")) {
      assertTrue(cff.containsKey(key), "CITATION.cff lacks the required key " + key);
    }
    assertTrue(((List<?>) cff.get("authors")).size() > 0);
    assertEquals("Apache-2.0", cff.get("license"));
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    Matcher v = Pattern.compile(
        "<artifactId>hesspec-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
    assertTrue(v.find());
    assertEquals(v.group(1).replace("-SNAPSHOT", ""), String.valueOf(cff.get("version")),
        "CITATION.cff version against the POM's");
  }

  /** NOTICE names every third-party artifact on the resolved run-time class path. */
  @Test
  void noticeNamesEveryRuntimeLibrary() throws Exception {
    Path list = Path.of("target", "runtime-dependencies.txt");
    assertTrue(Files.isRegularFile(list), list + " is missing: run the tests through Maven");
    String notice = Files.readString(ROOT.resolve("NOTICE"));
    List<String> missing = new ArrayList<>();
    for (String line : Files.readAllLines(list)) {
      if (!line.startsWith("   ") || line.isBlank()) {
        continue;
      }
      RuntimeLicencesTest.Resolved r = RuntimeLicencesTest.Resolved.parse(line);
      String artifact = r.coordinates().artifactId();
      if (!r.coordinates().groupId().equals("org.hesspec") && !notice.contains(artifact)) {
        missing.add(r.coordinates().toString());
      }
    }
    assertTrue(missing.isEmpty(), "NOTICE does not list " + missing);
  }
}
