package io.mlops.internal.repro;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stage graph as {@code dvc dag} builds it ({@code index.graph}, then {@code _filter} and
 * {@code get_pipelines}), in DVC's orders, which its ASCII layout depends on: nodes in index order (DVC's walk,
 * then file order), each stage's edges to the stages it depends on by dependency, the stages whose outputs lie
 * inside a directory dependency in DVC's outputs-trie order.
 */
final class DagGraph {
  private final Map<Stage, List<Stage>> upstream = new LinkedHashMap<>();
  private final List<Stage> nodes;

  /**
   * The graph of {@code targets}, each with everything it depends on, directly or not ({@code full}: each with its
   * whole pipeline), or of every stage when there are none.
   */
  DagGraph(Index index, List<String> targets, boolean full) {
    Trie outs = new Trie();
    for (Stage s : index.stages()) {
      for (Stage.Out o : s.outs()) {
        outs.put(o.repoPath(), s);
      }
    }
    for (Stage s : index.stages()) {
      Set<Stage> ups = new LinkedHashSet<>();
      for (String d : s.deps()) {
        outs.overlapping(d, ups);
      }
      ups.remove(s);
      upstream.put(s, new ArrayList<>(ups));
    }
    List<Stage> nodes = index.stages();
    if (targets != null && !targets.isEmpty()) {
      Set<Stage> keep = new HashSet<>();
      for (String t : targets) {
        for (Stage s : index.find(t)) {
          keep.addAll(full ? component(s, nodes) : reach(s, upstream));
        }
      }
      nodes = nodes.stream().filter(keep::contains).toList();
    }
    this.nodes = nodes;
  }

  /** The stages connected to {@code s} either way within {@code nodes}. */
  private Set<Stage> component(Stage s, List<Stage> nodes) {
    Set<Stage> in = new HashSet<>(nodes);
    Map<Stage, List<Stage>> neighbors = new LinkedHashMap<>();
    for (Stage n : nodes) {
      for (Stage u : upstream.get(n)) {
        if (in.contains(u)) {
          neighbors.computeIfAbsent(n, k -> new ArrayList<>()).add(u);
          neighbors.computeIfAbsent(u, k -> new ArrayList<>()).add(n);
        }
      }
    }
    return reach(s, neighbors);
  }

  /** {@code s} and every stage reachable from it over {@code edges}. */
  private static Set<Stage> reach(Stage s, Map<Stage, List<Stage>> edges) {
    Set<Stage> found = new HashSet<>(List.of(s));
    List<Stage> todo = new ArrayList<>(List.of(s));
    while (!todo.isEmpty()) {
      for (Stage n : edges.getOrDefault(todo.remove(todo.size() - 1), List.of())) {
        if (found.add(n)) {
          todo.add(n);
        }
      }
    }
    return found;
  }

  /** The stages drawn, in index order. */
  List<Stage> nodes() {
    return nodes;
  }


  /** The stages {@code s} depends on, in DVC's edge order. */
  List<Stage> upstream(Stage s) {
    return upstream.get(s);
  }

  /** DVC's outputs trie: path components as inserted (stage order, then output order), for its iteration order. */
  private static final class Trie {
    private final Map<String, Trie> children = new LinkedHashMap<>();
    private Stage stage;

    void put(String path, Stage s) {
      Trie node = this;
      for (String part : path.split("/")) {
        node = node.children.computeIfAbsent(part, k -> new Trie());
      }
      node.stage = s;
    }

    /** Adds the stages with an output containing, equal to, then inside {@code dep} (in pygtrie's order). */
    void overlapping(String dep, Set<Stage> into) {
      Trie node = this;
      for (String part : ".".equals(dep) ? new String[0] : dep.split("/")) {
        node = node.children.get(part);
        if (node == null) {
          return;
        }
        if (node.stage != null) {
          into.add(node.stage);
        }
      }
      node.collect(into);
    }

    private void collect(Set<Stage> into) {
      if (stage != null) {
        into.add(stage);
      }
      for (Trie c : children.values()) {
        c.collect(into);
      }
    }
  }
}
