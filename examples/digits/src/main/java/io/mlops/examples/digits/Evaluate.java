package io.mlops.examples.digits;

import io.mlops.examples.digits.common.Args;
import io.mlops.examples.digits.common.Decimals;
import io.mlops.examples.digits.common.Digit;
import io.mlops.examples.digits.common.DigitsCsv;
import io.mlops.examples.digits.common.History;
import io.mlops.examples.digits.common.LinearModel;
import io.mlops.examples.digits.common.TextFiles;
import io.mlops.examples.digits.plot.ConfusionMatrixChart;
import io.mlops.examples.digits.plot.HistoryChart;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.MutableOutputInfo;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.ConfusionMetrics;
import org.tribuo.classification.evaluation.LabelConfusionMatrix;
import org.tribuo.evaluation.metrics.MetricTarget;

/**
 * Stage {@code evaluate}: scores the model on the test rows and writes {@code metrics.json} (accuracy,
 * macro-averaged precision, recall and F1 from Tribuo's confusion metrics, and the mean hinge loss, each
 * rounded to 6 decimals) and two PNG plots: the confusion matrix and the training history.
 */
public final class Evaluate {
  static final String USAGE = "Evaluate MODEL_DIR PREPARED_DIR EVALUATION_DIR";

  private Evaluate() {}

  public static void main(String[] argv) throws IOException {
    Args args = Args.parse(argv, USAGE);
    Path modelDir = Path.of(args.path(0));
    Path prepared = Path.of(args.path(1));
    Path out = Path.of(args.path(2));

    LinearModel model = LinearModel.read(modelDir.resolve("model.json"));
    List<History.Epoch> history = History.read(modelDir.resolve("history.csv"));
    List<Digit> test = DigitsCsv.readPrepared(prepared.resolve("test.csv"));

    MutableOutputInfo<Label> info = new LabelFactory().generateInfo();
    model.labels().forEach(l -> info.observe(new Label(l)));
    ImmutableOutputInfo<Label> domain = info.generateImmutableOutputInfo();
    List<Prediction<Label>> predictions = new ArrayList<>();
    for (Digit d : test) {
      double[] scores = model.scores(d.pixels());
      int best = LinearModel.argmax(scores);
      predictions.add(new Prediction<>(new Label(model.labels().get(best), scores[best]), Digit.FEATURES,
          d.toExample()));
    }
    LabelConfusionMatrix cm = new LabelConfusionMatrix(domain, predictions);
    MetricTarget<Label> macro = MetricTarget.macroAverageTarget();
    double accuracy = ConfusionMetrics.accuracy(MetricTarget.microAverageTarget(), cm);
    double precision = ConfusionMetrics.precision(macro, cm);
    double recall = ConfusionMetrics.recall(macro, cm);
    double f1 = ConfusionMetrics.f1(macro, cm);
    double loss = model.meanLoss(test);

    TextFiles.write(out.resolve("metrics.json"), "{\n"
        + "  \"accuracy\": " + Decimals.fixed(accuracy, 6) + ",\n"
        + "  \"precision\": " + Decimals.fixed(precision, 6) + ",\n"
        + "  \"recall\": " + Decimals.fixed(recall, 6) + ",\n"
        + "  \"f1\": " + Decimals.fixed(f1, 6) + ",\n"
        + "  \"loss\": " + Decimals.fixed(loss, 6) + "\n"
        + "}\n");

    List<String> labels = model.labels();
    int[][] counts = new int[labels.size()][labels.size()];
    for (int t = 0; t < labels.size(); t++) {
      for (int p = 0; p < labels.size(); p++) {
        counts[t][p] = (int) cm.confusion(new Label(labels.get(p)), new Label(labels.get(t)));
      }
    }
    ConfusionMatrixChart.render(labels, counts).writePng(out.resolve("plots/confusion_matrix.png"));
    HistoryChart.render(history).writePng(out.resolve("plots/training_history.png"));
    System.out.printf(Locale.ROOT, "evaluate: %d test digits, accuracy %s, f1 %s, loss %s%n",
        test.size(), Decimals.fixed(accuracy, 4), Decimals.fixed(f1, 4), Decimals.fixed(loss, 4));
  }
}
