package org.hesspec.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {

  @TempDir Path out;

  private final Clock clock = Clock.fixed(Instant.parse("2025-03-01T14:22:33Z"), ZoneOffset.UTC);
  private final RunId id = new RunId("20250301T142233Z-3f9a1c");

  private RunDirectory start() {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("experiment", Map.of("name", "fmnist-mlp"));
    info.put("seed", 7);
    return RunDirectory.create(out, id, info, clock);
  }

  @Test
  void runIdsHaveTheDocumentedFormat() {
    RunId random = RunId.generate(Instant.parse("2025-03-01T14:22:33.9Z"), new Random(1));
    assertTrue(random.value().matches("20250301T142233Z-[0-9a-f]{6}"), random.value());
    assertEquals("20250301T142233Z-s7", RunId.forSeed(clock.instant(), 7).value());
    assertFalse(RunId.isValid("2025-03-01"));
    assertThrows(IllegalArgumentException.class, () -> new RunId("../etc"));
  }

  @Test
  void whileRunningOnlyThePartialFolderExistsAndSaysIncomplete() throws IOException {
    RunDirectory run = start();
    Path partial = out.resolve(".20250301T142233Z-3f9a1c.partial");
    assertEquals(partial, run.root());
    assertFalse(Files.exists(run.finalPath()));
    assertEquals(RunStatus.INCOMPLETE, RunDirectory.statusOf(partial).orElseThrow());
    assertFalse(RunDirectory.isCompleteRun(partial));
    String json = Files.readString(partial.resolve("run.json"));
    assertTrue(json.contains("\"status\": \"incomplete\""), json);
    assertTrue(json.contains("\"seed\": 7"), json);
  }

  @Test
  void completeMovesEverythingIntoPlaceAtOnce() throws IOException {
    RunDirectory run = start();
    run.table(Tables.SUMMARY).append(List.of(new SummaryRow("", "train", "G", "bulk_edge", 1)));
    Files.writeString(run.figures().resolve("a.svg"), "<svg/>");
    run.putTiming("density", Duration.ofMillis(1500));
    Path partial = run.root();
    run.complete();
    assertFalse(Files.exists(partial));
    assertEquals(run.finalPath(), run.root());
    assertTrue(RunDirectory.isCompleteRun(run.finalPath()));
    assertTrue(Files.exists(run.finalPath().resolve("summary.csv")));
    assertTrue(Files.exists(run.finalPath().resolve("figures/a.svg")));
    Map<String, Object> info = run.info();
    assertEquals("complete", info.get("status"));
    assertEquals(Map.of("density", 1.5), info.get("timings"));
    assertThrows(IllegalStateException.class, run::complete);
    assertThrows(IllegalStateException.class, () -> RunDirectory.resume(run.finalPath(), clock));
  }

  @Test
  void aCrashLeavesAnIncompleteRunThatIsNeverReportedComplete() {
    RunDirectory run = start();
    run.put("versions", Map.of("hesspec", "0.1.0"));
    // The process dies here: complete() is never called.
    Path partial = run.root();
    assertFalse(RunDirectory.isCompleteRun(partial));
    assertFalse(RunDirectory.isCompleteRun(run.finalPath()));
    assertEquals(RunStatus.INCOMPLETE, RunDirectory.statusOf(partial).orElseThrow());
    assertEquals(List.of(partial), RunDirectory.unfinishedRuns(out));
  }

  @Test
  void aPartialFolderIsNotCompleteEvenIfItsJsonSaysSo() throws IOException {
    // A crash between writing "complete" and the rename.
    RunDirectory run = start();
    Path json = run.root().resolve("run.json");
    Files.writeString(json, Files.readString(json).replace("incomplete", "complete"));
    assertEquals(RunStatus.COMPLETE, RunDirectory.statusOf(run.root()).orElseThrow());
    assertFalse(RunDirectory.isCompleteRun(run.root()));
    RunDirectory again = RunDirectory.resume(run.finalPath(), clock);
    again.complete();
    assertTrue(RunDirectory.isCompleteRun(run.finalPath()));
  }

  @Test
  void unreadableOrMissingRunJsonIsNotComplete() throws IOException {
    Path fake = Files.createDirectories(out.resolve("20250301T000000Z-abc"));
    assertFalse(RunDirectory.isCompleteRun(fake));
    Files.writeString(fake.resolve("run.json"), "{\"status\": \"complete\""); // cut off
    assertFalse(RunDirectory.isCompleteRun(fake));
    Files.writeString(fake.resolve("run.json"), "{\"status\": \"complete\"}");
    assertTrue(RunDirectory.isCompleteRun(fake));
  }

  @Test
  void resumeContinuesWritingIntoTheSameFolder() {
    RunDirectory first = start();
    SummaryRow a = new SummaryRow("10", "train", "hessian", "bulk_edge", 1);
    first.table(Tables.SUMMARY).append(List.of(a));
    first.fail("out of memory");
    assertEquals(RunStatus.FAILED, RunDirectory.statusOf(first.root()).orElseThrow());

    RunDirectory second = RunDirectory.resume(first.root(), clock);
    assertEquals(first.root(), second.root());
    assertEquals(RunStatus.INCOMPLETE, second.status());
    assertEquals(7L, second.info().get("seed"));
    assertFalse(second.info().containsKey("error"));
    assertEquals(List.of(clock.instant().toString()), second.info().get("resumed"));
    SummaryRow b = new SummaryRow("51", "train", "hessian", "bulk_edge", 2);
    second.table(Tables.SUMMARY).append(List.of(b));
    second.complete();
    assertEquals(List.of(a, b), TableFile.in(second.finalPath(), Tables.SUMMARY).read());
  }

  @Test
  void refusesToOverwriteOrToManageItsOwnFields() {
    start();
    assertThrows(IllegalStateException.class, () -> RunDirectory.create(out, id, Map.of(), clock));
    RunDirectory other =
        RunDirectory.create(out, new RunId("20250301T142233Z-000001"), Map.of(), clock);
    assertThrows(IllegalArgumentException.class, () -> other.put("status", "complete"));
    assertThrows(IllegalStateException.class, () -> RunDirectory.resume(out.resolve("nope")));
  }
}
