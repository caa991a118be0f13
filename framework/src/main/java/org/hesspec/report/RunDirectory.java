package org.hesspec.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hesspec.json.Json;

/**
 * The folder of one run, {@code <out>/<name>/<run-id>/}, written so that an unfinished run is
 * never mistaken for a complete one.
 *
 * <p>While running, everything goes into the hidden sibling {@code <out>/<name>/.<run-id>.partial/}
 * and its {@code run.json} says {@code "status": "incomplete"}. {@link #complete()} first writes
 * {@code "status": "complete"} there, then renames the folder to {@code <run-id>} in one atomic
 * step. So a folder named {@code <run-id>} exists only for a finished run, and a crash at any
 * point leaves a {@code .partial} folder that {@link #resume} can reopen. {@code run.json} itself
 * is rewritten through a temporary file and an atomic rename on every update, so it is never
 * half written.
 *
 * <p>{@code run.json} holds the fields this class manages ({@code run_id}, {@code status},
 * {@code created}, {@code updated}, {@code completed}, {@code resumed}, {@code error},
 * {@code timings}) followed by whatever the runner {@link #put}s: the resolved experiment, seeds,
 * versions, machine.
 *
 * <p>One process writes a run at a time; this class does not lock the folder against a second.
 */
public final class RunDirectory {

  /** The metadata file in every run folder. */
  public static final String RUN_JSON = "run.json";

  /** The figures subfolder. */
  public static final String FIGURES = "figures";

  private static final String PARTIAL_SUFFIX = ".partial";
  private static final Set<String> MANAGED =
      Set.of("run_id", "status", "created", "updated", "completed", "resumed", "error", "timings");

  private final Path finalPath;
  private final Clock clock;
  private final Map<String, Object> json;
  private Path root;
  private RunStatus status;

  private RunDirectory(Path finalPath, Path root, Map<String, Object> json, Clock clock) {
    this.finalPath = finalPath;
    this.root = root;
    this.json = json;
    this.clock = clock;
    this.status = RunStatus.fromJson(String.valueOf(json.get("status")));
  }

  /** Whether a run with this id exists in {@code parent}, finished or not. */
  public static boolean exists(Path parent, RunId id) {
    Path finalPath = parent.resolve(id.value()).toAbsolutePath();
    return Files.exists(finalPath) || Files.exists(partialPath(finalPath));
  }

  /**
   * Starts a new run in {@code parent} (that is {@code <out>/<name>}): creates the partial folder
   * and writes {@code run.json} with status {@code incomplete}.
   *
   * @param info the runner's fields for {@code run.json} (resolved experiment, seeds, versions,
   *     machine), in the order they should appear; may be empty
   * @throws IllegalStateException if a run with this id exists already, finished or not
   */
  public static RunDirectory create(Path parent, RunId id, Map<String, ?> info, Clock clock) {
    Path finalPath = parent.resolve(id.value()).toAbsolutePath();
    Path partial = partialPath(finalPath);
    if (Files.exists(finalPath) || Files.exists(partial)) {
      throw new IllegalStateException("run " + id + " exists already in " + parent);
    }
    try {
      Files.createDirectories(partial);
    } catch (IOException e) {
      throw new UncheckedIOException("creating " + partial, e);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("run_id", id.value());
    json.put("status", RunStatus.INCOMPLETE.json());
    json.put("created", clock.instant().toString());
    json.put("updated", clock.instant().toString());
    RunDirectory run = new RunDirectory(finalPath, partial, json, clock);
    info.forEach(run::checkedPut);
    run.save();
    return run;
  }

  /** {@link #create(Path, RunId, Map, Clock)} with the system UTC clock. */
  public static RunDirectory create(Path parent, RunId id, Map<String, ?> info) {
    return create(parent, id, info, Clock.systemUTC());
  }

  /**
   * Reopens a run that did not finish, to continue writing into it. {@code folder} may be the
   * partial folder itself or the run's final path ({@code <out>/<name>/<run-id>}), in which case
   * its partial sibling is opened. The status goes back to {@code incomplete} and the time is
   * added to {@code resumed}. A partial folder whose {@code run.json} already says complete (a
   * crash between the last write and the rename) is returned as is; call {@link #complete()} to
   * finish the rename.
   *
   * @throws IllegalStateException if the run is complete, or there is nothing to resume
   */
  public static RunDirectory resume(Path folder, Clock clock) {
    Path given = folder.toAbsolutePath().normalize();
    Path partial;
    Path finalPath;
    if (isPartialName(given.getFileName().toString())) {
      partial = given;
      finalPath = finalPathOf(given);
    } else {
      finalPath = given;
      partial = partialPath(given);
    }
    if (Files.isDirectory(finalPath) && isCompleteRun(finalPath)) {
      throw new IllegalStateException(finalPath + " is a complete run; nothing to resume");
    }
    if (!Files.isRegularFile(partial.resolve(RUN_JSON))) {
      throw new IllegalStateException("no unfinished run at " + folder + " (looked for " + partial
          + "/" + RUN_JSON + ")");
    }
    Map<String, Object> json = readJson(partial);
    RunDirectory run = new RunDirectory(finalPath, partial, json, clock);
    if (run.status != RunStatus.COMPLETE) {
      run.status = RunStatus.INCOMPLETE;
      json.put("status", RunStatus.INCOMPLETE.json());
      json.remove("error");
      @SuppressWarnings("unchecked")
      List<Object> resumed =
          (List<Object>) json.computeIfAbsent("resumed", k -> new ArrayList<>());
      resumed.add(clock.instant().toString());
      run.save();
    }
    return run;
  }

  /** {@link #resume(Path, Clock)} with the system UTC clock. */
  public static RunDirectory resume(Path folder) {
    return resume(folder, Clock.systemUTC());
  }

  /**
   * Whether {@code folder} holds a finished run: it is not a partial folder and its
   * {@code run.json} reads {@code "status": "complete"}. Anything else, including an unreadable
   * {@code run.json}, is not complete.
   */
  public static boolean isCompleteRun(Path folder) {
    Path name = folder.toAbsolutePath().normalize().getFileName();
    if (name == null || isPartialName(name.toString())) {
      return false;
    }
    return statusOf(folder).orElse(null) == RunStatus.COMPLETE;
  }

  /** The status recorded in {@code folder/run.json}; empty if there is none or it is unreadable. */
  public static Optional<RunStatus> statusOf(Path folder) {
    Path file = folder.resolve(RUN_JSON);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(RunStatus.fromJson(String.valueOf(readJson(folder).get("status"))));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The unfinished (partial) run folders in {@code parent}, oldest id first. */
  public static List<Path> unfinishedRuns(Path parent) {
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(parent)) {
      return found;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
      for (Path p : entries) {
        if (Files.isDirectory(p) && isPartialName(p.getFileName().toString())) {
          found.add(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + parent, e);
    }
    found.sort(null);
    return found;
  }

  /** The folder to write into now: the partial folder until {@link #complete()}, then the final. */
  public Path root() {
    return root;
  }

  /** Where the run will be (or is) once complete: {@code <out>/<name>/<run-id>}. */
  public Path finalPath() {
    return finalPath;
  }

  /** The run id, the final folder's name. */
  public RunId id() {
    return new RunId(finalPath.getFileName().toString());
  }

  /** The current status. */
  public RunStatus status() {
    return status;
  }

  /** {@code root()/figures}, created on first use. */
  public Path figures() {
    Path dir = root.resolve(FIGURES);
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("creating " + dir, e);
    }
  }

  /** The table {@code schema} in this run's folder. */
  public <R> TableFile<R> table(TableSchema<R> schema) {
    return TableFile.in(root, schema);
  }

  /**
   * Sets one runner field of {@code run.json} and rewrites it atomically. Values are strings,
   * numbers, booleans, null, maps and lists of those (anything else is written as its text).
   *
   * @throws IllegalArgumentException for a field this class manages (see the class comment)
   */
  public synchronized void put(String key, Object value) {
    checkedPut(key, value);
    save();
  }

  /** Records how long one stage took, in seconds, under {@code timings}, and saves. */
  public synchronized void putTiming(String stage, Duration duration) {
    @SuppressWarnings("unchecked")
    Map<String, Object> timings =
        (Map<String, Object>) json.computeIfAbsent("timings", k -> new LinkedHashMap<>());
    timings.put(stage, duration.toNanos() / 1e9);
    save();
  }

  /** A copy of the {@code run.json} content as last saved. */
  public synchronized Map<String, Object> info() {
    return new LinkedHashMap<>(json);
  }

  /**
   * Marks the run as failed with {@code message}. The folder stays partial and can be resumed.
   */
  public synchronized void fail(String message) {
    requireOpen();
    status = RunStatus.FAILED;
    json.put("status", status.json());
    json.put("error", message);
    save();
  }

  /**
   * Finishes the run: writes {@code "status": "complete"} into {@code run.json}, then renames the
   * partial folder to the final one atomically. Afterwards {@link #root()} is the final folder.
   *
   * @throws IllegalStateException if already complete or the final folder exists
   */
  public synchronized void complete() {
    if (root.equals(finalPath)) {
      throw new IllegalStateException("run " + id() + " is complete already");
    }
    // Checked before the rename because renaming onto an existing empty directory succeeds
    // silently on POSIX systems.
    if (Files.exists(finalPath)) {
      throw new IllegalStateException(finalPath + " exists; will not replace it");
    }
    status = RunStatus.COMPLETE;
    json.put("status", status.json());
    json.remove("error");
    json.put("completed", clock.instant().toString());
    save();
    try {
      AtomicFiles.move(root, finalPath);
    } catch (IOException e) {
      throw new UncheckedIOException("moving " + root + " to " + finalPath, e);
    }
    root = finalPath;
  }

  private void checkedPut(String key, Object value) {
    Objects.requireNonNull(key, "key");
    if (MANAGED.contains(key)) {
      throw new IllegalArgumentException("run.json field '" + key + "' is managed by RunDirectory");
    }
    json.put(key, value);
  }

  private void requireOpen() {
    if (status == RunStatus.COMPLETE) {
      throw new IllegalStateException("run " + id() + " is complete");
    }
  }

  private void save() {
    json.put("updated", clock.instant().toString());
    AtomicFiles.writeString(root.resolve(RUN_JSON), Json.writeNonFiniteAsNull(json));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> readJson(Path folder) {
    Path file = folder.resolve(RUN_JSON);
    try {
      Object parsed = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
      if (!(parsed instanceof Map)) {
        throw new IllegalStateException(file + " is not a JSON object");
      }
      return (Map<String, Object>) parsed;
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file, e);
    }
  }

  private static boolean isPartialName(String name) {
    return name.startsWith(".") && name.endsWith(PARTIAL_SUFFIX);
  }

  private static Path partialPath(Path finalPath) {
    return finalPath.resolveSibling("." + finalPath.getFileName() + PARTIAL_SUFFIX);
  }

  private static Path finalPathOf(Path partial) {
    String name = partial.getFileName().toString();
    return partial.resolveSibling(name.substring(1, name.length() - PARTIAL_SUFFIX.length()));
  }
}
