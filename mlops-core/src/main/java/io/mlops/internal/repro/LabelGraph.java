package io.mlops.internal.repro;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A graph of labels in the orders networkx keeps for {@code dvc dag} (nodes in insertion order, each node's edges in
 * insertion order), for what DVC builds on strings: the outputs graph ({@code --outs}) and the stage graph with
 * foreach/matrix stages collapsed ({@code --collapse-foreach-matrix}). Edges point from a node to what it depends on.
 */
final class LabelGraph {
  /** DVC's separator between a foreach/matrix stage's name and its key ({@code dvc.parsing.JOIN}). */
  static final String JOIN = "@";

  private final Map<String, Set<String>> edges = new LinkedHashMap<>();

  private void node(String n) {
    edges.computeIfAbsent(n, k -> new LinkedHashSet<>());
  }

  private void edge(String from, String to) {
    node(from);
    node(to);
    edges.get(from).add(to);
  }

  List<String> nodes() {
    return new ArrayList<>(edges.keySet());
  }

  /** Edges as {from, to}, by source in node order, then in insertion order. */
  List<String[]> edgeList() {
    List<String[]> out = new ArrayList<>();
    edges.forEach((from, tos) -> tos.forEach(to -> out.add(new String[] {from, to})));
    return out;
  }

  /** The stage graph (already filtered to targets) by address. */
  static LabelGraph ofStages(DagGraph g) {
    LabelGraph lg = new LabelGraph();
    for (Stage s : g.nodes()) {
      lg.node(s.address());
    }
    for (Stage s : g.nodes()) {
      for (Stage up : g.upstream(s)) {
        lg.edge(s.address(), up.address());
      }
    }
    return lg;
  }

  /**
   * DVC's {@code index.outs_graph}: every output (trie order), and from each output of a stage to every output that
   * overlaps one of the stage's dependencies (containing it, equal to it or inside it).
   */
  static LabelGraph ofOutputs(Index index) {
    OutsTrie trie = new OutsTrie();
    for (Stage s : index.stages()) {
      for (Stage.Out o : s.outs()) {
        trie.put(o.repoPath());
      }
    }
    LabelGraph lg = new LabelGraph();
    trie.collect(lg::node);
    for (Stage s : index.stages()) {
      for (String dep : s.deps()) {
        List<String> overlapping = new ArrayList<>();
        trie.overlapping(dep, overlapping);
        for (Stage.Out from : s.outs()) {
          for (String to : overlapping) {
            lg.edge(from.repoPath(), to);
          }
        }
      }
    }
    return lg;
  }

  /**
   * DVC's {@code _filter}: with targets, each target and what it depends on ({@code full}: each target's whole
   * pipeline), then only what is connected to a target.
   */
  LabelGraph filter(List<String> targets, boolean full) {
    if (targets.isEmpty()) {
      return this;
    }
    Set<String> keep = new HashSet<>(edges.keySet());
    if (!full) {
      keep = new HashSet<>();
      for (String t : targets) {
        keep.addAll(reach(t, edges));
      }
    }
    LabelGraph kept = restrict(keep);
    Map<String, Set<String>> undirected = kept.undirected();
    Set<String> connected = new HashSet<>();
    for (String t : targets) {
      connected.addAll(reach(t, undirected));
    }
    return kept.restrict(connected);
  }

  /**
   * DVC's {@code _collapse_foreach_matrix}: each {@code name@key} stage becomes {@code name} (not {@code .dvc} files),
   * edges follow. The new nodes come after the others (DVC adds them from a Python set, in hash order; here in the
   * order first met).
   */
  LabelGraph collapseForeachMatrix() {
    LabelGraph out = new LabelGraph();
    List<String> added = new ArrayList<>();
    for (String n : edges.keySet()) {
      if (isForeachMatrix(n)) {
        String base = n.substring(0, n.indexOf(JOIN));
        if (!added.contains(base)) {
          added.add(base);
        }
      } else {
        out.node(n);
      }
    }
    // the edges left as they were, then the new nodes, then the rewritten edges
    List<String[]> rewritten = new ArrayList<>();
    for (String[] e : edgeList()) {
      if (isForeachMatrix(e[0]) || isForeachMatrix(e[1])) {
        rewritten.add(new String[] {collapse(e[0]), collapse(e[1])});
      } else {
        out.edge(e[0], e[1]);
      }
    }
    added.forEach(out::node);
    for (String[] e : rewritten) {
      out.edge(e[0], e[1]);
    }
    return out;
  }

  private static boolean isForeachMatrix(String node) {
    return !node.endsWith(".dvc") && node.contains(JOIN);
  }

  private static String collapse(String node) {
    return isForeachMatrix(node) ? node.substring(0, node.indexOf(JOIN)) : node;
  }

  /** The pipelines (weakly connected components), in the order of their first node, each in node order. */
  List<LabelGraph> pipelines() {
    Map<String, Set<String>> undirected = undirected();
    Set<String> seen = new HashSet<>();
    List<LabelGraph> out = new ArrayList<>();
    for (String first : edges.keySet()) {
      if (seen.add(first)) {
        Set<String> component = reach(first, undirected);
        seen.addAll(component);
        out.add(restrict(component));
      }
    }
    return out;
  }

  private LabelGraph restrict(Set<String> keep) {
    LabelGraph out = new LabelGraph();
    for (String n : edges.keySet()) {
      if (keep.contains(n)) {
        out.node(n);
      }
    }
    edges.forEach((from, tos) -> {
      if (keep.contains(from)) {
        for (String to : tos) {
          if (keep.contains(to)) {
            out.edges.get(from).add(to);
          }
        }
      }
    });
    return out;
  }

  private Map<String, Set<String>> undirected() {
    Map<String, Set<String>> u = new LinkedHashMap<>();
    edges.forEach((from, tos) -> {
      u.computeIfAbsent(from, k -> new LinkedHashSet<>());
      for (String to : tos) {
        u.get(from).add(to);
        u.computeIfAbsent(to, k -> new LinkedHashSet<>()).add(from);
      }
    });
    return u;
  }

  private static Set<String> reach(String start, Map<String, Set<String>> edges) {
    Set<String> found = new HashSet<>();
    if (!edges.containsKey(start)) {
      return found;
    }
    found.add(start);
    List<String> todo = new ArrayList<>(List.of(start));
    while (!todo.isEmpty()) {
      for (String n : edges.getOrDefault(todo.remove(todo.size() - 1), Set.of())) {
        if (found.add(n)) {
          todo.add(n);
        }
      }
    }
    return found;
  }

  /** DVC's outputs trie over paths: its iteration order is insertion order, a node before its children. */
  private static final class OutsTrie {
    private final Map<String, OutsTrie> children = new LinkedHashMap<>();
    private String path;

    void put(String p) {
      OutsTrie node = this;
      for (String part : p.split("/")) {
        node = node.children.computeIfAbsent(part, k -> new OutsTrie());
      }
      node.path = p;
    }

    /** The outputs containing or equal to {@code dep} (shortest first), then those inside it. */
    void overlapping(String dep, List<String> into) {
      OutsTrie node = this;
      for (String part : ".".equals(dep) ? new String[0] : dep.split("/")) {
        node = node.children.get(part);
        if (node == null) {
          return;
        }
        if (node.path != null) {
          into.add(node.path);
        }
      }
      for (OutsTrie c : node.children.values()) {
        c.collect(into::add);
      }
    }

    void collect(java.util.function.Consumer<String> into) {
      if (path != null) {
        into.accept(path);
      }
      for (OutsTrie c : children.values()) {
        c.collect(into);
      }
    }
  }
}
