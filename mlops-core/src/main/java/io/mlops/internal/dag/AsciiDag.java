package io.mlops.internal.dag;

import io.mlops.internal.dag.SugiyamaLayout.Edge;
import io.mlops.internal.dag.SugiyamaLayout.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code dvc dag}'s ASCII drawing of a pipeline (DVC's {@code dagascii.draw}): boxes {@code | name |} laid out by
 * {@link SugiyamaLayout} with dependencies above what depends on them, edges drawn first with {@code *} so the
 * boxes overwrite them, every line as wide as the drawing (trailing spaces included).
 */
public final class AsciiDag {
  private static final int HEIGHT = 3;
  private static final double INF = Double.POSITIVE_INFINITY;

  private AsciiDag() {}

  /**
   * Draws one pipeline (a weakly connected graph) without a final newline.
   *
   * @param nodes the stage names in the pipeline graph's node order
   * @param edges pairs {@code {stage, dependency}} in the pipeline graph's edge order (DVC's edge direction)
   */
  public static String draw(List<String> nodes, List<String[]> edges) {
    SugiyamaLayout sug = build(nodes, edges);
    double minx = INF;
    double miny = INF;
    double maxx = -INF;
    double maxy = -INF;
    List<double[]> points = new ArrayList<>();
    for (Node v : sug.vertices()) {
      // boxes are moved w/2 to the left, and their top is at the layout's y
      points.add(new double[] {v.x - v.w / 2.0, v.y});
      points.add(new double[] {v.x + v.w / 2.0, v.y + v.h});
    }
    for (Edge e : sug.edges()) {
      points.addAll(e.points);
    }
    for (double[] p : points) {
      minx = Math.min(minx, p[0]);
      maxx = Math.max(maxx, p[0]);
      miny = Math.min(miny, p[1]);
      maxy = Math.max(maxy, p[1]);
    }
    int cols = (int) (Math.ceil(maxx) - Math.floor(minx)) + 1;
    int lines = round(maxy - miny);
    Canvas canvas = new Canvas(cols, lines);
    for (Edge e : sug.edges()) {
      for (int i = 1; i < e.points.size(); i++) {
        double[] start = e.points.get(i - 1);
        double[] end = e.points.get(i);
        canvas.line(round(start[0] - minx), round(start[1] - miny), round(end[0] - minx), round(end[1] - miny));
      }
    }
    for (Node v : sug.vertices()) {
      int x = round(v.x - v.w / 2.0 - minx);
      int y = round(v.y - miny);
      canvas.box(x, y, v.w, v.h);
      canvas.text(x + 1, y + 1, v.data);
    }
    return canvas.toString();
  }

  /**
   * grandalf's graph as DVC builds it: a vertex {@code " name "} per node, an edge from each dependency to its
   * stage; the vertex order is that of grandalf's component merging (an edge's tail component absorbs its head's).
   */
  private static SugiyamaLayout build(List<String> nodes, List<String[]> deps) {
    Map<String, Node> byName = new HashMap<>();
    Map<Node, List<Node>> component = new HashMap<>();
    List<List<Node>> components = new ArrayList<>();
    for (String name : nodes) {
      String data = " " + name + " ";
      Node v = new Node(data, data.codePointCount(0, data.length()) + 2, HEIGHT, false);
      byName.put(name, v);
      List<Node> c = new ArrayList<>(List.of(v));
      component.put(v, c);
      components.add(c);
    }
    List<Edge> edges = new ArrayList<>();
    for (String[] d : deps) {
      Node x = byName.get(d[1]);
      Node y = byName.get(d[0]);
      Edge e = new Edge(x, y);
      edges.add(e);
      x.edges.add(e);
      y.edges.add(e);
      List<Node> cx = component.get(x);
      List<Node> cy = component.get(y);
      if (cx != cy) {
        cx.addAll(cy);
        components.remove(cy);
        for (Node z : cy) {
          component.put(z, cx);
        }
      }
    }
    if (components.size() != 1) {
      throw new IllegalArgumentException("not a connected pipeline: " + nodes);
    }
    List<Node> vertices = components.get(0);
    // grandalf collects a component's edges in a set; its own order is the vertices' edge lists, deduplicated
    List<Edge> ordered = new ArrayList<>();
    for (Node v : vertices) {
      for (Edge e : v.edges) {
        if (!ordered.contains(e)) {
          ordered.add(e);
        }
      }
    }
    int minw = Integer.MAX_VALUE;
    for (Node v : vertices) {
      minw = Math.min(minw, v.w);
    }
    SugiyamaLayout sug = new SugiyamaLayout(vertices, ordered, minw, HEIGHT);
    sug.layout();
    return sug;
  }

  /** Python's {@code round} of a float to an int: half to even. */
  static int round(double v) {
    return (int) Math.rint(v);
  }

  /** DVC's {@code AsciiCanvas}: a grid of characters, spaces at first. */
  private static final class Canvas {
    private final int cols;
    private final int lines;
    private final int[][] grid;

    Canvas(int cols, int lines) {
      if (cols <= 1 || lines <= 1) {
        throw new IllegalStateException("canvas too small: " + cols + "x" + lines);
      }
      this.cols = cols;
      this.lines = lines;
      grid = new int[lines][cols];
      for (int[] row : grid) {
        java.util.Arrays.fill(row, ' ');
      }
    }

    void point(int x, int y, int ch) {
      if (x < 0 || x >= cols || y < 0 || y >= lines) {
        throw new IllegalStateException("point off the canvas: " + x + "," + y);
      }
      grid[y][x] = ch;
    }

    /** A line of {@code *} the way DVC rasterizes it (stepping along the longer axis). */
    void line(int x0, int y0, int x1, int y1) {
      if (x0 > x1) {
        int t = x0;
        x0 = x1;
        x1 = t;
        t = y0;
        y0 = y1;
        y1 = t;
      }
      int dx = x1 - x0;
      int dy = y1 - y0;
      if (dx == 0 && dy == 0) {
        point(x0, y0, '*');
      } else if (Math.abs(dx) >= Math.abs(dy)) {
        for (int x = x0; x <= x1; x++) {
          point(x, dx == 0 ? y0 : y0 + round((x - x0) * dy / (double) dx), '*');
        }
      } else if (y0 < y1) {
        for (int y = y0; y <= y1; y++) {
          point(dy == 0 ? x0 : x0 + round((y - y0) * dx / (double) dy), y, '*');
        }
      } else {
        for (int y = y1; y <= y0; y++) {
          point(dy == 0 ? x0 : x1 + round((y - y1) * dx / (double) dy), y, '*');
        }
      }
    }

    void text(int x, int y, String text) {
      int[] cps = text.codePoints().toArray();
      for (int i = 0; i < cps.length; i++) {
        point(x + i, y, cps[i]);
      }
    }

    void box(int x0, int y0, int width, int height) {
      width -= 1;
      height -= 1;
      for (int x = x0; x < x0 + width; x++) {
        point(x, y0, '-');
        point(x, y0 + height, '-');
      }
      for (int y = y0; y < y0 + height; y++) {
        point(x0, y, '|');
        point(x0 + width, y, '|');
      }
      point(x0, y0, '+');
      point(x0 + width, y0, '+');
      point(x0, y0 + height, '+');
      point(x0 + width, y0 + height, '+');
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      for (int y = 0; y < lines; y++) {
        if (y > 0) {
          sb.append('\n');
        }
        for (int ch : grid[y]) {
          sb.appendCodePoint(ch);
        }
      }
      return sb.toString();
    }
  }
}
