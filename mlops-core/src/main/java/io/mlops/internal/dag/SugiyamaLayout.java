package io.mlops.internal.dag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The layered (Sugiyama) layout {@code dvc dag} draws with: grandalf 0.8's {@code SugiyamaLayout} as DVC's
 * {@code dagascii} drives it (roots are the vertices without in-edges, optimized ranking, two ordering rounds, then
 * Brandes-Köpf placement and edges routed as lines clipped at the boxes). The heuristics are kept as grandalf has
 * them, quirks included, and in the same iteration order, since any difference moves boxes: ranks from the roots,
 * long edges pushed down, dummy vertices for edges spanning several layers, mean-value ordering with one pass of
 * adjacent swaps, and four alignments whose two middle x coordinates are averaged.
 *
 * <p>The graph must be connected and acyclic (a DVC pipeline is).
 */
final class SugiyamaLayout {
  private static final double INF = Double.POSITIVE_INFINITY;

  /** A box of the layout, or a dummy point of an edge spanning several layers. */
  static final class Node {
    /** The box's text, {@code null} for a dummy. */
    final String data;
    final boolean dummy;
    /** Width and height of the box (a dummy has the median ones). */
    final int w;
    final int h;
    /** The edges of a box, in the order they were attached. */
    final List<Edge> edges = new ArrayList<>();
    /** A dummy's edge: its vertices (real or dummy) by rank. */
    Map<Integer, Node> ctrl;
    /** Center of the box once laid out. */
    double x;
    double y;

    int rank = -1;
    int pos;
    double bar;
    /** The neighbors in the upper (index 0) and lower (index 1) layers, dummies standing for long edges. */
    List<Node>[] layerNeighbors;
    final double[] xs = new double[4];
    Node root;
    Node align;
    Node sink;
    double shift;
    /** The block's coordinate ({@code null} until placed). */
    Double blockX;

    Node(String data, int w, int h, boolean dummy) {
      this.data = data;
      this.w = w;
      this.h = h;
      this.dummy = dummy;
    }

    /** grandalf's {@code N(-1)} / {@code N(+1)}: the vertices at the other end of the in- or out-edges. */
    List<Node> neighbors(int dir) {
      List<Node> out = new ArrayList<>();
      if (dummy) {
        Node n = ctrl.get(rank + dir);
        if (n != null) {
          out.add(n);
        }
        return out;
      }
      for (Edge e : edges) {
        if (dir < 0 && e.to == this) {
          out.add(e.from);
        } else if (dir > 0 && e.from == this) {
          out.add(e.to);
        }
      }
      return out;
    }

    /** Whether the neighbor in direction {@code dir} is a dummy (dummies only). */
    private boolean inner(int dir) {
      Node n = ctrl.get(rank + dir);
      return n != null && n.dummy;
    }

    private Edge edgeWith(Node v) {
      for (Edge e : edges) {
        if (e.from == v || e.to == v) {
          return e;
        }
      }
      throw new IllegalStateException("no edge between " + data + " and " + v.data);
    }
  }

  /** A directed edge; its route once laid out. */
  static final class Edge {
    final Node from;
    final Node to;
    /** The dummies of a long edge by rank, with both ends ({@code null} for an edge between adjacent layers). */
    Map<Integer, Node> ctrl;
    /** The polyline: from the tail box's border through the dummies to the head box's border. */
    List<double[]> points;

    Edge(Node from, Node to) {
      this.from = from;
      this.to = to;
    }
  }

  /** A layer: the nodes of one rank in their current order (list equality, like grandalf's, for its index). */
  private final class Layer extends ArrayList<Node> {
    private double step = 1.0;
    private Layer upper;
    private Layer lower;

    void setup() {
      int r = layers.indexOf(this);
      if (size() > 1) {
        step = 1.0 / (size() - 1);
      }
      for (int i = 0; i < size(); i++) {
        Node v = get(i);
        v.pos = i;
        v.bar = i * step;
      }
      if (r > 0) {
        upper = layers.get(r - 1);
      }
      if (r < layers.size() - 1) {
        lower = layers.get(r + 1);
      }
    }

    Layer nextLayer() {
      return dirv == -1 ? lower : upper;
    }

    Layer prevLayer() {
      return dirv == +1 ? lower : upper;
    }

    int order() {
      int c = crossCount();
      if (c > 0) {
        for (Node v : this) {
          v.bar = meanValue(v);
        }
        // stable, and with Python's float comparison (-0.0 ties 0.0)
        sort((a, b) -> a.bar < b.bar ? -1 : (a.bar > b.bar ? 1 : 0));
        c = reduceCrossings();
        for (int i = 0; i < size(); i++) {
          get(i).pos = i;
          get(i).bar = i * step;
        }
      }
      return c;
    }

    private double meanValue(Node v) {
      if (!truthy(prevLayer())) {
        return v.bar;
      }
      List<Node> ns = layerNeighbors(v);
      if (ns.isEmpty()) {
        return v.bar;
      }
      double sum = 0;
      for (Node n : ns) {
        sum += n.bar;
      }
      return sum / ns.size();
    }

    List<Integer> medianIndex(Node v) {
      List<Integer> pos = new ArrayList<>();
      for (Node n : layerNeighbors(v)) {
        pos.add(n.pos);
      }
      int lp = pos.size();
      if (lp == 0) {
        return List.of();
      }
      pos.sort(null);
      if (dirh == -1) {
        java.util.Collections.reverse(pos);
      }
      int i = (lp - 1) / 2;
      int j = (lp - 1) % 2;
      return j == 0 ? List.of(pos.get(i)) : List.of(pos.get(i), pos.get(i + j));
    }

    /** Barth and Mutzel's bilayer cross count by insertion. */
    private int crossCount() {
      List<Integer> p = new ArrayList<>();
      for (Node v : this) {
        List<Integer> pos = new ArrayList<>();
        for (Node n : layerNeighbors(v)) {
          pos.add(n.pos);
        }
        pos.sort(null);
        p.addAll(pos);
      }
      List<Integer> s = new ArrayList<>();
      int count = 0;
      for (int i = 0; i < p.size(); i++) {
        int x = p.get(i);
        int j = bisectRight(s, x);
        if (j < i) {
          count += i - j;
        }
        s.add(j, x);
      }
      return count;
    }

    /** One pass of swaps of adjacent nodes that cross less the other way round; the crossings left. */
    private int reduceCrossings() {
      int total = 0;
      for (int i = 0; i + 1 < size(); i++) {
        Node vi = get(i);
        Node vj = get(i + 1);
        List<Node> ni = layerNeighbors(vi);
        int xij = 0;
        int xji = 0;
        for (Node nj : layerNeighbors(vj)) {
          int x = 0;
          for (Node n : ni) {
            if (n.bar > nj.bar) {
              x++;
            }
          }
          xij += x;
          xji += ni.size() - x;
        }
        if (xji < xij) {
          set(i, vj);
          set(i + 1, vi);
          total += xji;
        } else {
          total += xij;
        }
      }
      return total;
    }
  }

  private final List<Node> vertices;
  private final List<Edge> edges;
  private final List<Layer> layers = new ArrayList<>();
  private final int dw;
  private final int dh;
  private final int xspace;
  private final int yspace;
  private int dirh = 1;
  private int dirv = -1;
  private int dirvh;
  private final Set<List<Node>> conflicts = new HashSet<>();

  /**
   * A layout of a connected graph.
   *
   * @param vertices the boxes, in grandalf's vertex order
   * @param edges the edges, in grandalf's edge order
   * @param xspace the horizontal space between boxes
   * @param yspace the vertical space between layers
   */
  SugiyamaLayout(List<Node> vertices, List<Edge> edges, int xspace, int yspace) {
    this.vertices = vertices;
    this.edges = edges;
    this.xspace = xspace;
    this.yspace = yspace;
    List<Integer> ws = new ArrayList<>();
    List<Integer> hs = new ArrayList<>();
    for (Node v : vertices) {
      ws.add(v.w);
      hs.add(v.h);
    }
    ws.sort(null);
    hs.sort(null);
    dw = ws.get(ws.size() / 2);
    dh = hs.get(hs.size() / 2);
  }

  /** Ranks, orders and places every node, then routes the edges ({@code init_all} and {@code draw}). */
  void layout() {
    List<Node> roots = new ArrayList<>();
    for (Node v : vertices) {
      if (v.neighbors(-1).isEmpty()) {
        roots.add(v);
      }
    }
    rankInit(roots);
    rankOptimize();
    for (Edge e : edges) {
      setDummies(e);
    }
    for (Layer l : layers) {
      l.setup();
    }
    orderingStep(false);
    orderingStep(true);
    setXy();
    drawEdges();
  }

  private void rankInit(List<Node> unranked) {
    Set<Edge> scanned = new HashSet<>();
    while (!unranked.isEmpty()) {
      List<Node> next = new ArrayList<>();
      for (Node v : unranked) {
        setRank(v);
        for (Edge e : v.edges) {
          if (e.from == v) {
            scanned.add(e);
          }
        }
        for (Node x : v.neighbors(+1)) {
          boolean ready = true;
          for (Edge e : x.edges) {
            if (e.to == x && !scanned.contains(e)) {
              ready = false;
            }
          }
          if (ready && !next.contains(x)) {
            next.add(x);
          }
        }
      }
      unranked = next;
    }
  }

  private void setRank(Node v) {
    int r = -1;
    for (Node x : v.neighbors(-1)) {
      r = Math.max(r, x.rank);
    }
    r++;
    v.rank = r;
    if (r < layers.size()) {
      layers.get(r).add(v);
    } else {
      Layer l = new Layer();
      l.add(v);
      layers.add(l);
    }
  }

  /** Pushes the sources of long edges down as far as their other successors allow (in place, like grandalf). */
  private void rankOptimize() {
    for (int li = layers.size() - 1; li >= 0; li--) {
      Layer l = layers.get(li);
      for (int i = 0; i < l.size(); i++) {
        Node v = l.get(i);
        for (Node x : v.neighbors(-1)) {
          boolean movable = true;
          for (Node y : x.neighbors(+1)) {
            if (y.rank < v.rank) {
              movable = false;
            }
          }
          if (movable) {
            layers.get(x.rank).remove(x);
            x.rank = v.rank - 1;
            layers.get(v.rank - 1).add(x);
          }
        }
      }
    }
  }

  private void setDummies(Edge e) {
    Node v0 = e.from;
    Node v1 = e.to;
    int r0 = v0.rank;
    int r1 = v1.rank;
    if (r1 - r0 > 1) {
      Map<Integer, Node> ctrl = new HashMap<>();
      e.ctrl = ctrl;
      ctrl.put(r0, v0);
      ctrl.put(r1, v1);
      for (int r = r0 + 1; r < r1; r++) {
        Node dv = new Node(null, dw, dh, true);
        dv.rank = r;
        dv.ctrl = ctrl;
        ctrl.put(r, dv);
        layers.get(r).add(dv);
      }
    }
  }

  /** The neighbors of {@code v} in the previous layer of the current vertical direction. */
  @SuppressWarnings("unchecked")
  private List<Node> layerNeighbors(Node v) {
    if (v.layerNeighbors == null) {
      List<Node>[] nvs = new List[] {v.neighbors(-1), v.neighbors(+1)};
      if (!v.dummy) {
        for (int d = -1; d <= 1; d += 2) {
          List<Node> ns = nvs[d < 0 ? 0 : 1];
          int tr = v.rank + d;
          for (int i = 0; i < ns.size(); i++) {
            Node x = ns.get(i);
            if (x.rank != tr) {
              ns.set(i, v.edgeWith(x).ctrl.get(tr));
            }
          }
        }
      }
      v.layerNeighbors = nvs;
    }
    return v.layerNeighbors[dirv < 0 ? 0 : 1];
  }

  private void setDirvh(int value) {
    dirvh = value;
    dirh = value % 2 == 0 ? 1 : -1;
    dirv = value < 2 ? -1 : 1;
  }

  private void setDirv(int value) {
    setDirvh((value + 1) + (1 - dirh) / 2);
  }

  /** One round of layer orderings: down, then up again unless {@code oneway} or nothing crossed. */
  private void orderingStep(boolean oneway) {
    setDirv(-1);
    int crossings = 0;
    for (Layer l : layers) {
      crossings += l.order();
    }
    if (oneway || crossings == 0) {
      return;
    }
    setDirv(+1);
    Layer l = layers.get(layers.size() - 1);
    while (truthy(l)) {
      l.order();
      l = l.nextLayer();
    }
  }

  /** Brandes and Köpf's coordinate assignment, as grandalf implements it: the mean of the two median x's. */
  private void setXy() {
    detectAlignmentConflicts();
    for (Layer l : layers) {
      for (Node v : l) {
        v.root = v;
        v.align = v;
        v.sink = v;
        v.shift = INF;
        v.blockX = null;
        java.util.Arrays.fill(v.xs, 0.0);
      }
    }
    int saved = dirvh;
    for (int d = 0; d < 4; d++) {
      setDirvh(d);
      verticalAlignment();
      horizontalCompact();
    }
    setDirvh(saved);
    double y = 0;
    for (Layer l : layers) {
      double dy = l.get(0).h / 2.0;
      for (Node v : l) {
        dy = pyMax(dy, v.h / 2.0);
      }
      for (Node v : l) {
        double[] vx = sorted(v.xs);
        v.x = (vx[1] + vx[2]) / 2.0;
        v.y = y + dy;
      }
      y += 2 * dy + yspace;
    }
  }

  private void detectAlignmentConflicts() {
    int saved = dirvh;
    setDirvh(0);
    conflicts.clear();
    for (Layer layer : layers) {
      int last = layer.size() - 1;
      Layer prev = layer.prevLayer();
      if (!truthy(prev)) {
        continue;
      }
      int k0 = 0;
      int k1Init = prev.size() - 1;
      int l = 0;
      for (int l1 = 0; l1 < layer.size(); l1++) {
        Node v = layer.get(l1);
        if (!v.dummy) {
          continue;
        }
        if (l1 == last || v.inner(-1)) {
          int k1 = k1Init;
          if (v.inner(-1)) {
            List<Node> up = v.neighbors(-1);
            k1 = up.get(up.size() - 1).pos;
          }
          for (Node vl : layer.subList(l, l1 + 1)) {
            for (Node vk : layerNeighbors(vl)) {
              int k = vk.pos;
              if (k < k0 || k > k1) {
                conflicts.add(List.of(vk, vl));
              }
            }
          }
          l = l1 + 1;
          k0 = k1;
        }
      }
    }
    setDirvh(saved);
  }

  private void verticalAlignment() {
    for (Layer l : directed(layers, -dirv)) {
      Layer prev = l.prevLayer();
      if (!truthy(prev)) {
        continue;
      }
      Integer r = null;
      for (Node vk : directed(l, dirh)) {
        for (int m : l.medianIndex(vk)) {
          Node um = prev.get(m);
          if (vk.align == vk) {
            List<Node> vpair = dirv == 1 ? List.of(vk, um) : List.of(um, vk);
            if (!conflicts.contains(vpair) && (r == null || dirh * r < dirh * m)) {
              um.align = vk;
              vk.root = um.root;
              vk.align = vk.root;
              r = m;
            }
          }
        }
      }
    }
  }

  private void horizontalCompact() {
    List<Layer> ls = directed(layers, -dirv);
    for (Layer l : ls) {
      for (Node v : directed(l, dirh)) {
        if (v.root == v) {
          placeBlock(v);
        }
      }
    }
    if (dirh == -1) {
      for (Layer l : ls) {
        for (Node v : l) {
          if (v.blockX != null && v.blockX != 0.0) {
            v.blockX = -v.blockX;
          }
        }
      }
    }
    for (Layer l : ls) {
      for (Node v : directed(l, dirh)) {
        v.xs[dirvh] = v.root.blockX;
        double s = v.root.sink.shift;
        if (s < INF) {
          v.xs[dirvh] += dirh * s;
        }
      }
    }
    for (Layer l : layers) {
      for (Node v : l) {
        v.root = v;
        v.align = v;
        v.sink = v;
        v.shift = INF;
        v.blockX = null;
      }
    }
  }

  private void placeBlock(Node v) {
    if (v.blockX != null) {
      return;
    }
    v.blockX = 0.0;
    Node w = v;
    do {
      int j = w.pos - dirh;
      Layer layer = layers.get(w.rank);
      if (0 <= j && j < layer.size()) {
        Node wprec = layer.get(j);
        double delta = xspace + (wprec.w + w.w) / 2.0;
        Node u = wprec.root;
        placeBlock(u);
        if (v.sink == v) {
          v.sink = u.sink;
        }
        if (v.sink != u.sink) {
          Node s = u.sink;
          s.shift = pyMin(s.shift, v.blockX - (u.blockX + delta));
        } else {
          v.blockX = pyMax(v.blockX, u.blockX + delta);
        }
      }
      w = w.align;
    } while (w != v);
  }

  /** Each edge's polyline through its dummies, its ends moved onto the boxes' borders ({@code route_with_lines}). */
  private void drawEdges() {
    for (Edge e : edges) {
      List<double[]> pts = new ArrayList<>();
      pts.add(new double[] {e.from.x, e.from.y});
      if (e.ctrl != null) {
        for (int r = e.from.rank + 1; r < e.to.rank; r++) {
          Node d = e.ctrl.get(r);
          pts.add(new double[] {d.x, d.y});
        }
      }
      pts.add(new double[] {e.to.x, e.to.y});
      double[] tail = intersectBox(e.from, pts.get(1));
      double[] head = intersectBox(e.to, pts.get(pts.size() - 2));
      pts.set(0, tail);
      pts.set(pts.size() - 1, head);
      e.points = pts;
    }
  }

  /** grandalf's {@code intersectR}: where the line from the box's center to {@code to} leaves the box. */
  private static double[] intersectBox(Node view, double[] to) {
    double x2 = to[0] - view.x;
    double y2 = to[1] - view.y;
    int bbx2 = Math.floorDiv(view.w, 2);
    int bbx1 = -bbx2;
    int bby2 = Math.floorDiv(view.h, 2);
    int bby1 = -bby2;
    int[][] sides = {{bbx1, bby1, bbx2, bby1}, {bbx2, bby1, bbx2, bby2}, {bbx1, bby2, bbx2, bby2},
        {bbx1, bby2, bbx1, bby1}};
    for (int[] s : sides) {
      double[] xy = intersectLines(x2, y2, s[0], s[1], s[2], s[3]);
      if (xy != null) {
        return new double[] {xy[0] + view.x, xy[1] + view.y};
      }
    }
    throw new IllegalStateException("no intersection found (point inside ?!) for " + view.data);
  }

  /** grandalf's {@code intersect2lines} for the segments (0,0)-(x2,y2) and (x3,y3)-(x4,y4). */
  private static double[] intersectLines(double x2, double y2, int x3, int y3, int x4, int y4) {
    double b0 = x2;
    double b1 = y2;
    int d0 = x4 - x3;
    int d1 = y4 - y3;
    double det = b0 * d1 - b1 * d0;
    if (det == 0) {
      return null;
    }
    int c0 = x3;
    int c1 = y3;
    double t = (c0 * b1 - c1 * b0) / (det * 1.0);
    if (t < 0.0 || t > 1.0) {
      return null;
    }
    t = (c0 * d1 - c1 * d0) / (det * 1.0);
    if (t < 0.0 || t > 1.0) {
      return null;
    }
    return new double[] {0 + t * b0, 0 + t * b1};
  }

  /** Python's {@code sorted} of floats: stable, comparing with {@code <} (so -0.0 and 0.0 keep their order). */
  private static double[] sorted(double[] xs) {
    double[] out = xs.clone();
    for (int i = 1; i < out.length; i++) {
      double x = out[i];
      int j = i;
      while (j > 0 && x < out[j - 1]) {
        out[j] = out[j - 1];
        j--;
      }
      out[j] = x;
    }
    return out;
  }

  private static <T> List<T> directed(List<T> list, int dir) {
    if (dir > 0) {
      return list;
    }
    List<T> reversed = new ArrayList<>(list);
    java.util.Collections.reverse(reversed);
    return reversed;
  }

  /** Python's truth of a layer: present and not empty. */
  private static boolean truthy(List<?> layer) {
    return layer != null && !layer.isEmpty();
  }

  private static int bisectRight(List<Integer> sorted, int x) {
    int lo = 0;
    int hi = sorted.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (x < sorted.get(mid)) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** Python's {@code min(a, b)}: {@code a} unless {@code b} is smaller (so a tie keeps {@code a}, -0.0 or not). */
  private static double pyMin(double a, double b) {
    return b < a ? b : a;
  }

  /** Python's {@code max(a, b)}: {@code a} unless {@code b} is larger. */
  private static double pyMax(double a, double b) {
    return b > a ? b : a;
  }

  /** The boxes, in vertex order. */
  List<Node> vertices() {
    return vertices;
  }

  /** The edges, in edge order. */
  List<Edge> edges() {
    return edges;
  }
}
