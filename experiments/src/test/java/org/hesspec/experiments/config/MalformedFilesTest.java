package org.hesspec.experiments.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed experiment files, each of which must be rejected with a {@link ConfigException}
 * naming the offending key path (and its line). Besides the hand-written cases, mutations are
 * generated from every line of {@code full.yaml}: each value replaced by a mapping (wrong type),
 * each number made negative, each list emptied, each boolean made a word, and an unknown key and
 * a misspelt key inserted into every mapping.
 */
class MalformedFilesTest {

  /** Keys the sweep of full.yaml overrides: a mutation there would be replaced by the sweep. */
  private static final Set<String> SWEPT = Set.of("data.train.per_class");

  @TempDir Path tmp;

  @TestFactory
  Stream<DynamicTest> handWritten() {
    Fixture fx = new Fixture(tmp);
    return MalformedCases.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(fx, c)));
  }

  @TestFactory
  Stream<DynamicTest> generatedFromFullYaml() {
    Fixture fx = new Fixture(tmp);
    return generated().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(fx, c)));
  }

  @Test
  void enoughCases() {
    int hand = MalformedCases.all().size();
    int generated = generated().size();
    assertTrue(hand >= 60, "hand-written cases: " + hand);
    assertTrue(generated >= 60, "generated cases: " + generated);
  }

  @Test
  void allErrorsAreCollectedNotJustTheFirst() {
    String text = MalformedCase.edit(MalformedCases.FULL, "    runs: 5", "    runs: 0");
    text = MalformedCase.edit(text, "precision: float64", "precision: float_64");
    text = MalformedCase.edit(text, "    k: 30", "    kk: 30");
    ConfigException e = Errs.load(new Fixture(tmp).write("many.yaml", text), List.of());
    assertEquals(List.of("precision", "analyses.density.runs", "analyses.top_eigen.kk"),
        e.errors().stream().map(ConfigError::keyPath).toList(), e.getMessage());
    String[] lines = e.getMessage().split("\\R");
    assertEquals("3 errors in " + tmp.resolve("many.yaml") + ":", lines[0]);
    assertEquals("  " + tmp.resolve("many.yaml") + ":8: precision: unknown value 'float_64'; valid values are "
        + "float32, float64; did you mean 'float64'?", lines[1]);
  }

  private static void check(Fixture fx, MalformedCase c) {
    Path file = fx.write(c.name() + ".yaml", c.text());
    ConfigException e = Errs.load(file, c.sets());
    String all = e.getMessage();
    List<ConfigError> atPath = e.errors().stream().filter(err -> err.keyPath().equals(c.keyPath())).toList();
    assertFalse(atPath.isEmpty(), () -> c.name() + ": no error at '" + c.keyPath() + "' in:\n" + all);
    ConfigError err = atPath.stream().filter(x -> x.message().contains(c.fragment())).findFirst()
        .orElseThrow(() -> new AssertionError(c.name() + ": no error at '" + c.keyPath() + "' says '"
            + c.fragment() + "' in:\n" + all));
    if (c.line() == MalformedCase.ANY_LINE) {
      assertTrue(err.line() > 0, () -> c.name() + ": expected a line in " + err);
    } else {
      assertEquals(c.line(), err.line(), () -> c.name() + ": wrong line in " + err);
    }
    // What the user sees names the key (or the line, for errors about the whole file).
    String shown = err.toString();
    assertTrue(all.contains(shown));
    if (!c.keyPath().isEmpty()) {
      assertTrue(shown.contains(": " + c.keyPath() + ": "), shown);
    } else {
      assertTrue(shown.startsWith(file + ":" + err.line() + ": "), shown);
    }
    assertEquals(file, err.file());
    assertFalse(all.contains("Exception") || all.contains("\tat "), () -> "looks like a stack trace:\n" + all);
  }

  /** Mutations of every line of full.yaml; see the class comment. */
  static List<MalformedCase> generated() {
    String[] lines = MalformedCases.FULL.split("\n", -1);
    List<MalformedCase> cases = new ArrayList<>();
    Deque<int[]> indents = new ArrayDeque<>(); // indent of each open mapping key
    Deque<String> keys = new ArrayDeque<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("-")) {
        continue;
      }
      int indent = line.length() - line.stripLeading().length();
      while (!indents.isEmpty() && indents.peek()[0] >= indent) {
        indents.pop();
        keys.pop();
      }
      int colon = trimmed.indexOf(": ") >= 0 ? trimmed.indexOf(": ") : trimmed.length() - 1;
      String key = trimmed.substring(0, colon);
      String value = trimmed.substring(colon + 1).strip();
      List<String> parents = new ArrayList<>(keys);
      java.util.Collections.reverse(parents);
      String parent = String.join(".", parents);
      String path = parent.isEmpty() ? key : parent + "." + key;
      int lineNo = i + 1;
      String pad = " ".repeat(indent);
      if (value.isEmpty()) {
        boolean listFollows = i + 1 < lines.length && lines[i + 1].strip().startsWith("-");
        if (!listFollows) {
          String child = pad + "  ";
          if (key.equals("sweep")) {
            // A sweep key is a key path into the experiment: an unknown one is reported as such.
            cases.add(insertAfter(lines, i, child + "bogus_key: [1]", "sweep-over-unknown-key", "bogus_key",
                "unknown key", lineNo + 1));
          } else {
            cases.add(insertAfter(lines, i, child + "bogus_key: 1", "unknown-key-in-" + path, path + ".bogus_key",
                "unknown key", lineNo + 1));
          }
          String firstChild = lines[i + 1].strip();
          String childKey = firstChild.substring(0, firstChild.indexOf(':'));
          if (!key.equals("sweep")) {
            String typo = childKey.length() >= 4
                ? childKey.charAt(0) + "" + childKey.charAt(2) + childKey.charAt(1) + childKey.substring(3)
                : childKey + "x";
            cases.add(insertAfter(lines, i, child + typo + ": 1", "typo-" + typo + "-in-" + path,
                path + "." + typo, "did you mean '" + childKey + "'?", lineNo + 1));
          }
        }
        indents.push(new int[] {indent});
        keys.push(key);
        continue;
      }
      if (SWEPT.contains(path) || value.startsWith("{")) {
        continue;
      }
      cases.add(replaceLine(lines, i, pad + key + ": {bogus: 1}", "mapping-for-" + path, path, "expected", lineNo));
      if (value.matches("-?[0-9.e-]+")) {
        cases.add(replaceLine(lines, i, pad + key + ": -1", "negative-" + path, path, "must be", lineNo));
      } else if (value.startsWith("[")) {
        cases.add(replaceLine(lines, i, pad + key + ": []", "empty-list-" + path, path, "must not be an empty list",
            lineNo));
      } else if (value.equals("true") || value.equals("false")) {
        cases.add(replaceLine(lines, i, pad + key + ": perhaps", "word-for-" + path, path, "expected true or false",
            lineNo));
      }
    }
    cases.add(new MalformedCase("unknown-top-level-key", MalformedCases.FULL + "bogus_key: 1\n", List.of(),
        "bogus_key", "unknown key", lines.length));
    return cases;
  }

  private static MalformedCase replaceLine(String[] lines, int i, String replacement, String name, String path,
      String fragment, int lineNo) {
    String[] copy = lines.clone();
    copy[i] = replacement;
    return new MalformedCase(name, String.join("\n", copy), List.of(), path, fragment, lineNo);
  }

  private static MalformedCase insertAfter(String[] lines, int i, String inserted, String name, String path,
      String fragment, int lineNo) {
    List<String> copy = new ArrayList<>(List.of(lines));
    copy.add(i + 1, inserted);
    return new MalformedCase(name, String.join("\n", copy), List.of(), path, fragment, lineNo);
  }
}
