package org.hesspec.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The licences an artifact declares in its POM, inherited from parent POMs as Maven does, and
 * the project's policy on them.
 *
 * <p>Policy: the run-time class path must not contain an artifact whose only licences are GPL
 * or AGPL (any version), because hesspec is Apache-2.0 and a program that links a GPL library
 * must itself be distributed under the GPL. LGPL is allowed: it asks only that the LGPL library
 * itself stay replaceable and its source available, which an unmodified jar resolved from Maven
 * Central is (JFreeChart, which draws the figures, is LGPL-2.1). GPL with the Classpath
 * exception is allowed for the same reason (the exception is there so that code under other
 * licences may link it). An artifact with several licences is the user's choice of any of them,
 * so it passes when one of them does. An artifact that declares no licence at all fails: its
 * terms are unknown.
 */
final class PomLicences {

  private PomLicences() {}

  /** One {@code <license>} entry. */
  record Licence(String name, String url) {}

  /** How the policy treats one licence. */
  enum Kind {
    PERMISSIVE(true), LGPL(true), GPL_CLASSPATH_EXCEPTION(true), GPL(false), AGPL(false);

    final boolean allowed;

    Kind(boolean allowed) {
      this.allowed = allowed;
    }
  }

  /** Maven coordinates of a POM. */
  record Coordinates(String groupId, String artifactId, String version) {
    Path pomIn(Path repository) {
      Path dir = repository;
      for (String part : groupId.split("\\.")) {
        dir = dir.resolve(part);
      }
      return dir.resolve(artifactId).resolve(version).resolve(artifactId + "-" + version + ".pom");
    }

    @Override
    public String toString() {
      return groupId + ":" + artifactId + ":" + version;
    }
  }

  static Kind classify(Licence licence) {
    String s = (licence.name() + " " + licence.url()).toLowerCase(Locale.ROOT);
    if (s.contains("lesser") || s.contains("lgpl") || s.contains("library general public")) {
      return Kind.LGPL;
    }
    if (s.contains("affero") || s.contains("agpl")) {
      return Kind.AGPL;
    }
    if (s.contains("general public licen") || s.matches(".*\\bgpl.*")) {
      return s.contains("classpath") ? Kind.GPL_CLASSPATH_EXCEPTION : Kind.GPL;
    }
    return Kind.PERMISSIVE;
  }

  /** Whether an artifact with these licences may be on the run-time class path. */
  static boolean allowed(List<Licence> licences) {
    return licences.stream().anyMatch(l -> classify(l).allowed);
  }

  /**
   * The licences of {@code artifact}: those its own POM declares, else its parent's, and so on.
   *
   * @throws IllegalStateException when a POM in the chain is not in {@code repository}
   */
  static List<Licence> of(Coordinates artifact, Path repository) {
    Coordinates current = artifact;
    for (int depth = 0; depth < 20; depth++) {
      Path pom = current.pomIn(repository);
      if (!Files.isRegularFile(pom)) {
        throw new IllegalStateException(
            "POM of " + current
                + (current.equals(artifact) ? "" : " (a parent of " + artifact + ")")
                + " is not in the local repository: " + pom);
      }
      Element project = parse(pom);
      List<Licence> declared = new ArrayList<>();
      Element licences = child(project, "licenses");
      if (licences != null) {
        for (Node n = licences.getFirstChild(); n != null; n = n.getNextSibling()) {
          if (n instanceof Element e && e.getTagName().equals("license")) {
            declared.add(new Licence(text(e, "name"), text(e, "url")));
          }
        }
      }
      if (!declared.isEmpty()) {
        return declared;
      }
      Element parent = child(project, "parent");
      if (parent == null) {
        return List.of();
      }
      current = new Coordinates(
          text(parent, "groupId"), text(parent, "artifactId"), text(parent, "version"));
    }
    throw new IllegalStateException("parent chain of " + artifact + " longer than 20 POMs");
  }

  private static Element parse(Path pom) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      f.setExpandEntityReferences(false);
      Document doc = f.newDocumentBuilder().parse(pom.toFile());
      return doc.getDocumentElement();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + pom, e);
    } catch (Exception e) {
      throw new IllegalStateException("parsing " + pom + ": " + e.getMessage(), e);
    }
  }

  private static Element child(Element parent, String tag) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(tag)) {
        return e;
      }
    }
    return null;
  }

  private static String text(Element parent, String tag) {
    Element e = child(parent, tag);
    return e == null ? "" : e.getTextContent().trim();
  }
}
