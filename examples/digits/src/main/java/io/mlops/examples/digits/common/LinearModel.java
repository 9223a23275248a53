package io.mlops.examples.digits.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.math.la.DenseMatrix;

/**
 * The trained linear classifier in a canonical form of its own: one row of weights per label, one column
 * per feature then the bias. Written as JSON with every weight exact ({@link Double#toHexString}), and
 * none of Tribuo's serialized provenance (timestamps, host names), so the same training gives the same
 * bytes everywhere.
 *
 * @param labels the class labels, in row order
 * @param features the feature names, in column order (the bias column follows them)
 * @param weights {@code labels.size()} rows of {@code features.size() + 1} weights
 */
public record LinearModel(List<String> labels, List<String> features, double[][] weights) {
  public static final String TYPE = "linear multiclass SVM: Tribuo LinearSGDTrainer, hinge loss, constant-rate SGD";

  public LinearModel {
    labels = List.copyOf(labels);
    features = List.copyOf(features);
    if (weights.length != labels.size()) {
      throw new IllegalArgumentException("one weight row per label");
    }
    for (double[] row : weights) {
      if (row.length != features.size() + 1) {
        throw new IllegalArgumentException("one weight per feature and a bias");
      }
    }
  }

  /** The weights of a Tribuo model (its weight matrix has the bias as its last column). */
  public static LinearModel of(LinearSGDModel model) {
    DenseMatrix w = model.getWeightsCopy();
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < w.getDimension1Size(); i++) {
      labels.add(model.getOutputIDInfo().getOutput(i).getLabel());
    }
    List<String> features = new ArrayList<>();
    for (int j = 0; j < w.getDimension2Size() - 1; j++) {
      features.add(model.getFeatureIDMap().get(j).getName());
    }
    if (!features.equals(List.of(Digit.FEATURE_NAMES))) {
      throw new IllegalStateException("unexpected features " + features);
    }
    double[][] weights = new double[labels.size()][features.size() + 1];
    for (int i = 0; i < weights.length; i++) {
      for (int j = 0; j < weights[i].length; j++) {
        weights[i][j] = w.get(i, j);
      }
    }
    return new LinearModel(labels, features, weights);
  }

  /** The score of every label for {@code pixels}, summed in Tribuo's order (features, then the bias). */
  public double[] scores(double[] pixels) {
    double[] out = new double[weights.length];
    for (int i = 0; i < weights.length; i++) {
      double[] row = weights[i];
      double s = 0.0;
      for (int j = 0; j < pixels.length; j++) {
        s += row[j] * pixels[j];
      }
      s += row[pixels.length] * 1.0;
      out[i] = s;
    }
    return out;
  }

  /** The row index of the best-scoring label; the first one on a tie, as Tribuo does. */
  public static int argmax(double[] scores) {
    int best = 0;
    for (int i = 1; i < scores.length; i++) {
      if (scores[i] > scores[best]) {
        best = i;
      }
    }
    return best;
  }

  public String predict(Digit d) {
    return labels.get(argmax(scores(d.pixels())));
  }

  /** Multiclass hinge loss with margin 1 (Crammer and Singer): max(0, 1 + max other score - true score). */
  public double hingeLoss(Digit d) {
    double[] s = scores(d.pixels());
    int truth = labels.indexOf(d.label());
    if (truth < 0) {
      throw new IllegalArgumentException("unknown label " + d.label());
    }
    double other = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < s.length; i++) {
      if (i != truth) {
        other = Math.max(other, s[i]);
      }
    }
    return Math.max(0.0, 1.0 + other - s[truth]);
  }

  /** Mean hinge loss over {@code digits}, summed in list order. */
  public double meanLoss(List<Digit> digits) {
    double sum = 0.0;
    for (Digit d : digits) {
      sum += hingeLoss(d);
    }
    return sum / digits.size();
  }

  /** Fraction of {@code digits} predicted right. */
  public double accuracy(List<Digit> digits) {
    int right = 0;
    for (Digit d : digits) {
      if (predict(d).equals(d.label())) {
        right++;
      }
    }
    return (double) right / digits.size();
  }

  public void write(Path file) throws IOException {
    StringBuilder sb = new StringBuilder("{\n");
    sb.append("  \"type\": ").append(Json.quote(TYPE)).append(",\n");
    sb.append("  \"labels\": [").append(joinQuoted(labels)).append("],\n");
    List<String> columns = new ArrayList<>(features);
    columns.add("bias");
    sb.append("  \"columns\": [").append(joinQuoted(columns)).append("],\n");
    sb.append("  \"weights\": {\n");
    for (int i = 0; i < weights.length; i++) {
      List<String> hex = new ArrayList<>();
      for (double w : weights[i]) {
        hex.add(Double.toHexString(w));
      }
      sb.append("    ").append(Json.quote(labels.get(i))).append(": [").append(joinQuoted(hex)).append(']')
          .append(i + 1 < weights.length ? "," : "").append('\n');
    }
    sb.append("  }\n}\n");
    TextFiles.write(file, sb);
  }

  @SuppressWarnings("unchecked")
  public static LinearModel read(Path file) throws IOException {
    Map<String, Object> doc;
    try {
      doc = (Map<String, Object>) Json.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
    List<String> labels = (List<String>) (List<?>) doc.get("labels");
    List<String> columns = (List<String>) (List<?>) doc.get("columns");
    Map<String, Object> rows = (Map<String, Object>) doc.get("weights");
    if (labels == null || columns == null || rows == null || columns.isEmpty()
        || !"bias".equals(columns.get(columns.size() - 1))) {
      throw new IOException(file + ": not a model written by Train (labels, columns ending in bias, weights)");
    }
    double[][] weights = new double[labels.size()][];
    for (int i = 0; i < labels.size(); i++) {
      List<Object> row = (List<Object>) rows.get(labels.get(i));
      if (row == null || row.size() != columns.size()) {
        throw new IOException(file + ": weights of label " + labels.get(i) + " missing or of the wrong length");
      }
      weights[i] = new double[row.size()];
      for (int j = 0; j < row.size(); j++) {
        weights[i][j] = Double.parseDouble((String) row.get(j));
      }
    }
    return new LinearModel(labels, columns.subList(0, columns.size() - 1), weights);
  }

  private static String joinQuoted(List<String> values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(Json.quote(values.get(i)));
    }
    return sb.toString();
  }
}
