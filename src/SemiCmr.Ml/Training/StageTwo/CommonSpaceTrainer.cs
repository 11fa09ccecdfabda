using SemiCmr.Ml.Data;
using SemiCmr.Ml.Evaluation;
using SemiCmr.Ml.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SemiCmr.Ml.Training.StageTwo;

/// <summary>Stage 2: learns the common space from label targets (true or predicted) and their weights.</summary>
internal static class CommonSpaceTrainer
{
    private static readonly string[] LossNames = ["total", "j1", "j2", "j3"];

    /// <param name="rows">Training rows the stage sees (J3 uses all of them).</param>
    /// <param name="targets">Label vector of every item [items x classes].</param>
    /// <param name="weights">Confidence of every item's label [items]; 0 = no label.</param>
    /// <param name="validation">Rows and labels used to report validation MAP after each epoch.</param>
    public static CommonSpaceNetwork Train(
        TrainingContext context, IReadOnlyList<int> rows, Tensor targets, Tensor weights,
        (IReadOnlyList<int> Rows, IReadOnlyList<IReadOnlyList<int>> Labels) validation)
    {
        var options = context.Options;
        var network = new CommonSpaceNetwork((int)context.Images.shape[1], (int)context.Texts.shape[1],
            options.HiddenDim, options.CommonDim, context.ClassCount, options.Dropout, context.ModelGenerator);
        try
        {
            network.to(context.Device);
            TrainEpochs(context, network, rows, targets, weights, validation);
            network.eval();
            return network;
        }
        catch
        {
            network.Dispose(); // cancelled or failed: nobody else will
            throw;
        }
    }

    private static void TrainEpochs(
        TrainingContext context, CommonSpaceNetwork network, IReadOnlyList<int> rows, Tensor targets, Tensor weights,
        (IReadOnlyList<int> Rows, IReadOnlyList<IReadOnlyList<int>> Labels) validation)
    {
        var options = context.Options;
        using var optimizer = new AdamOptimizer(network.parameters(), options.LearningRate, options.WeightDecay);
        using Scalar alpha = options.Alpha.ToScalar(), beta = options.Beta.ToScalar();
        using var schedule = context.Schedule(rows);
        using var losses = new EpochLosses(LossNames, context.Device);
        using var validationRows = TensorConversions.Indices(validation.Rows, context.Device);

        for (int epoch = 1; epoch <= options.Stage2Epochs; epoch++)
        {
            network.train();
            using (var epochScope = NewDisposeScope())
            {
                foreach (var batch in schedule.Epoch())
                {
                    context.CancellationToken.ThrowIfCancellationRequested();
                    using var batchScope = NewDisposeScope();
                    var u = network.EmbedImages(context.Images.index_select(0, batch));
                    var v = network.EmbedTexts(context.Texts.index_select(0, batch));
                    var labels = targets.index_select(0, batch);
                    var weight = weights.index_select(0, batch);
                    var j1 = CommonSpaceLosses.LabelSpace(network.Classify(u), network.Classify(v), labels, weight);
                    var j2 = CommonSpaceLosses.CommonSpace(u, v, labels, weight, options.Scale);
                    var j3 = CommonSpaceLosses.ModalityInvariance(u, v);
                    var total = j1.Plus(j2.mul(alpha)).Plus(j3.mul(beta));
                    optimizer.ZeroGrad();
                    total.backward();
                    optimizer.Step();
                    losses.Add(stack([total, j1, j2, j3]));
                }
            }
            double map = ValidationMap(context, network, validationRows, validation.Labels);
            context.Report(new TrainingProgress(Stage.CommonSpace, epoch, options.Stage2Epochs, losses.TakeMeans(), map));
        }
    }

    private static double ValidationMap(TrainingContext context, CommonSpaceNetwork network, Tensor rows, IReadOnlyList<IReadOnlyList<int>> labels)
    {
        network.eval();
        FeatureMatrix images, texts;
        using (no_grad())
        using (NewDisposeScope())
        {
            images = network.EmbedImages(context.Images.index_select(0, rows)).ToMatrix();
            texts = network.EmbedTexts(context.Texts.index_select(0, rows)).ToMatrix();
        }
        return CrossModalEvaluator.Evaluate(images, texts, labels).MeanMap;
    }
}
