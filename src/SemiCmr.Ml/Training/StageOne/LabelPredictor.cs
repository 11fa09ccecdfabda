using SemiCmr.Ml.Torch;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace SemiCmr.Ml.Training.StageOne;

/// <summary>
/// Stage 1: one classifier per modality, trained with a supervised loss on the labeled pairs and a
/// cross-modal consistency loss on the unlabeled pairs (the two modalities of a pair must predict the
/// same distribution), ramped up over the first epochs. Predictions fuse both modalities.
/// </summary>
internal static class LabelPredictor
{
    private static readonly string[] LossNames = ["total", "labeled", "consistency"];

    public static IReadOnlyList<LabelPrediction> TrainAndPredict(
        TrainingContext context, IReadOnlyList<int> labeledRows, IReadOnlyList<int> unlabeledRows)
    {
        var options = context.Options;
        using var image = new LabelClassifier("image", (int)context.Images.shape[1], options.HiddenDim, context.ClassCount, options.Dropout, context.ModelGenerator);
        using var text = new LabelClassifier("text", (int)context.Texts.shape[1], options.HiddenDim, context.ClassCount, options.Dropout, context.ModelGenerator);
        image.to(context.Device);
        text.to(context.Device);
        var parameters = image.parameters().Concat(text.parameters());
        using var optimizer = new AdamOptimizer(parameters, options.LearningRate, options.WeightDecay);
        using var labeled = context.Schedule(labeledRows);
        using var unlabeled = unlabeledRows.Count > 0 ? context.Schedule(unlabeledRows) : null;
        using var losses = new EpochLosses(LossNames, context.Device);

        for (int epoch = 1; epoch <= options.Stage1Epochs; epoch++)
        {
            image.train();
            text.train();
            using Scalar weight = (options.ConsistencyWeight * RampUp(epoch, options.RampUpEpochs)).ToScalar();
            using (var epochScope = NewDisposeScope())
            {
                var labeledBatches = labeled.Epoch();
                var steps = unlabeled?.Epoch() ?? labeledBatches;
                for (int step = 0; step < steps.Length; step++)
                {
                    context.CancellationToken.ThrowIfCancellationRequested();
                    using var batchScope = NewDisposeScope();
                    var supervised = SupervisedLoss(context, image, text, labeledBatches[step % labeledBatches.Length]);
                    var consistency = unlabeled is null ? zeros(1, device: context.Device).squeeze() : ConsistencyLoss(context, image, text, steps[step]);
                    var total = supervised.Plus(consistency.mul(weight));
                    optimizer.ZeroGrad();
                    total.backward();
                    optimizer.Step();
                    losses.Add(stack([total, supervised, consistency]));
                }
            }
            context.Report(new TrainingProgress(Stage.LabelPrediction, epoch, options.Stage1Epochs, losses.TakeMeans()));
        }
        return Predict(context, image, text, unlabeledRows);
    }

    /// <summary>The sigmoid ramp-up of consistency-based semi-supervised learning (Laine and Aila, 2017).</summary>
    internal static double RampUp(int epoch, int rampUpEpochs)
    {
        if (rampUpEpochs <= 0) return 1;
        double t = Math.Clamp((double)epoch / rampUpEpochs, 0, 1);
        return Math.Exp(-5 * (1 - t) * (1 - t));
    }

    private static Tensor SupervisedLoss(TrainingContext context, LabelClassifier image, LabelClassifier text, Tensor rows)
    {
        var targets = context.TrueLabels.index_select(0, rows);
        var imageLogits = image.forward(context.Images.index_select(0, rows));
        var textLogits = text.forward(context.Texts.index_select(0, rows));
        if (context.IsMultiLabel)
            return binary_cross_entropy_with_logits(imageLogits, targets).Plus(binary_cross_entropy_with_logits(textLogits, targets));
        var classes = targets.argmax(1);
        return cross_entropy(imageLogits, classes).Plus(cross_entropy(textLogits, classes));
    }

    private static Tensor ConsistencyLoss(TrainingContext context, LabelClassifier image, LabelClassifier text, Tensor rows)
    {
        var imageProbabilities = Probabilities(context, image.forward(context.Images.index_select(0, rows)));
        var textProbabilities = Probabilities(context, text.forward(context.Texts.index_select(0, rows)));
        return (imageProbabilities - textProbabilities).Squared().sum(1).mean();
    }

    private static Tensor Probabilities(TrainingContext context, Tensor logits) =>
        context.IsMultiLabel ? torch.sigmoid(logits) : torch.softmax(logits, 1);

    private static IReadOnlyList<LabelPrediction> Predict(
        TrainingContext context, LabelClassifier image, LabelClassifier text, IReadOnlyList<int> rows)
    {
        if (rows.Count == 0) return [];
        image.eval();
        text.eval();
        float[] fused;
        using (no_grad())
        using (NewDisposeScope())
        {
            var index = TensorConversions.Indices(rows, context.Device);
            using Scalar half = 0.5.ToScalar();
            var probabilities = Probabilities(context, image.forward(context.Images.index_select(0, index)))
                .Plus(Probabilities(context, text.forward(context.Texts.index_select(0, index)))).mul_(half);
            fused = probabilities.cpu().data<float>().ToArray();
        }
        return PredictionRule.FromProbabilities(rows, fused, context.ClassCount, context.IsMultiLabel, context.Options.Threshold);
    }
}
