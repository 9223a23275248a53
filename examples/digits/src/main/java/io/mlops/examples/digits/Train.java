package io.mlops.examples.digits;

import io.mlops.examples.digits.common.Args;
import io.mlops.examples.digits.common.Digit;
import io.mlops.examples.digits.common.DigitsCsv;
import io.mlops.examples.digits.common.History;
import io.mlops.examples.digits.common.LinearModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.Hinge;
import org.tribuo.math.optimisers.SGD;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Stage {@code train}: a linear multiclass SVM trained with Tribuo's {@link LinearSGDTrainer} (hinge
 * loss, constant learning rate, seeded shuffles, one thread). The hinge loss and plain SGD need only
 * additions and multiplications, which Java computes bit for bit the same on every JVM and CPU (no
 * {@code exp}/{@code log}, whose last bit may differ), so the weights are exactly reproducible.
 *
 * <p>Writes {@code model.json} (the weights, exact) and {@code history.csv} (loss and accuracy after each
 * epoch; Tribuo has no per-epoch callback, so epoch {@code e} is a model trained for {@code e} epochs with
 * the same seed: the same shuffles, so the same weights as the full run after {@code e} epochs).
 */
public final class Train {
  static final String USAGE = "Train --seed N --lr RATE --epochs N --batch-size N PREPARED_DIR MODEL_DIR";
  /** Tribuo logs every training run at INFO; kept here so the level set below is not garbage-collected. */
  private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

  private Train() {}

  public static void main(String[] argv) throws IOException {
    Args args = Args.parse(argv, USAGE);
    long seed = args.longValue("seed");
    double lr = args.doubleValue("lr");
    int epochs = args.intValue("epochs");
    int batchSize = args.intValue("batch-size");
    Path prepared = Path.of(args.path(0));
    Path out = Path.of(args.path(1));
    TRIBUO_LOG.setLevel(Level.WARNING);

    List<Digit> train = DigitsCsv.readPrepared(prepared.resolve("train.csv"));
    List<Digit> test = DigitsCsv.readPrepared(prepared.resolve("test.csv"));
    LabelFactory factory = new LabelFactory();
    MutableDataset<Label> dataset =
        new MutableDataset<>(new SimpleDataSourceProvenance("digits train.csv", factory), factory);
    train.forEach(d -> dataset.add(d.toExample()));

    List<History.Epoch> history = new ArrayList<>();
    LinearSGDModel tribuoModel = null;
    LinearModel model = null;
    for (int e = 1; e <= epochs; e++) {
      LinearSGDTrainer trainer = new LinearSGDTrainer(new Hinge(), SGD.getSimpleSGD(lr), e, -1, batchSize, seed);
      tribuoModel = (LinearSGDModel) trainer.train(dataset);
      model = LinearModel.of(tribuoModel);
      history.add(new History.Epoch(e, model.meanLoss(train), model.accuracy(train), model.meanLoss(test),
          model.accuracy(test)));
    }
    for (Digit d : test) {
      String tribuo = tribuoModel.predict(d.toExample()).getOutput().getLabel();
      if (!tribuo.equals(model.predict(d))) {
        throw new IllegalStateException("the exported weights predict " + model.predict(d) + " where Tribuo predicts "
            + tribuo);
      }
    }
    model.write(out.resolve("model.json"));
    History.write(out.resolve("history.csv"), history);
    History.Epoch last = history.get(history.size() - 1);
    System.out.printf(Locale.ROOT, "train: %d epochs on %d digits, train accuracy %.4f, test accuracy %.4f%n",
        epochs, train.size(), last.trainAccuracy(), last.testAccuracy());
  }
}
