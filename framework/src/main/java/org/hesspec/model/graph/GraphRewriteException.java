package org.hesspec.model.graph;

/**
 * A GraphDef cannot be rewritten as asked: an unsupported op, a malformed function body, a
 * consumer of a tensor that a rewrite removes. The message names the node and its op.
 */
public class GraphRewriteException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String node;

  /**
   * @param node the offending node (GraphDef name, with any inlining prefix)
   * @param message what is wrong and, where there is one, what to do instead
   */
  public GraphRewriteException(String node, String message) {
    super("node '" + node + "': " + message);
    this.node = node;
  }

  /** The name of the node the problem was found at. */
  public String node() {
    return node;
  }
}
