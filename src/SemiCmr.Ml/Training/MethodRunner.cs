using System.Diagnostics;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Evaluation;
using SemiCmr.Ml.Models;
using SemiCmr.Ml.Training.Cca;
using SemiCmr.Ml.Training.StageOne;
using SemiCmr.Ml.Training.StageTwo;
using TorchSharp;
using static TorchSharp.torch;

namespace SemiCmr.Ml.Training;

/// <summary>
/// Runs one method end to end: standardise (fitted on train), stage 1 (sscmr only), stage 2 (or CCA),
/// embed every item, evaluate on the test split. Synchronous: call it on one dedicated thread.
/// The same seed gives the same result on the CPU whatever else the process does meanwhile: every random
/// draw of a run comes from its own generators (see <see cref="TrainingContext"/>).
/// </summary>
public static class MethodRunner
{

    public static TrainedRun Run(TrainingRequest request, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var problems = request.Options.Validate();
        if (problems.Count > 0)
            throw new ArgumentException("Invalid training options: " + string.Join("; ", problems.Select(p => $"{p.Option.Property} {p.Problem}")));
        var dataset = request.Dataset;
        var split = RunSplit.Of(dataset, request);
        var imageStandardizer = Standardizer.Fit(dataset.ImageFeatures, split.Train);
        var textStandardizer = Standardizer.Fit(dataset.TextFeatures, split.Train);
        var images = imageStandardizer.Apply(dataset.ImageFeatures);
        var texts = textStandardizer.Apply(dataset.TextFeatures);

        var stage1 = Stopwatch.StartNew();
        var stage2 = new Stopwatch();
        IReadOnlyList<LabelPrediction> predictions = [];
        ICommonSpaceProjector projector;
        using (var context = CreateContext(request, images, texts, progress, cancellationToken))
        {
            if (request.Method == Method.Sscmr)
                predictions = LabelPredictor.TrainAndPredict(context, split.Labeled, split.Unlabeled);
            stage1.Stop();
            stage2.Start();
            projector = request.Method == Method.Cca
                ? new CcaProjector(CcaModel.Fit(images.SelectRows(split.Train), texts.SelectRows(split.Train),
                    Math.Min(request.Options.CommonDim, Math.Min(images.Columns, texts.Columns)), request.Options.CcaRegularization))
                : TrainCommonSpace(context, request, split, predictions);
            stage2.Stop();
        }

        progress?.Report(new TrainingProgress(Stage.Evaluation, 0, 1, new Dictionary<string, double>()));
        var manifest = new ModelManifest(request.Method.ToName(), request.Options, dataset.ClassNames, dataset.IsMultiLabel,
            images.Columns, texts.Columns, projector.Dimensions, request.Seed, split.LabeledCount,
            imageStandardizer, textStandardizer);
        var model = new TrainedModel(manifest, projector);
        try
        {
            var imageEmbeddings = model.EmbedImages(dataset.ImageFeatures);
            var textEmbeddings = model.EmbedTexts(dataset.TextFeatures);
            var evaluation = CrossModalEvaluator.Evaluate(imageEmbeddings.SelectRows(split.Test), textEmbeddings.SelectRows(split.Test),
                split.Test.Select(row => dataset.Items[row].Labels).ToList());
            double? stage1Accuracy = request.Method == Method.Sscmr ? Stage1Score(dataset, predictions) : null;
            var metrics = new RunMetrics(evaluation.ImageToText.MapAll, evaluation.TextToImage.MapAll, stage1Accuracy,
                split.LabeledCount, stage1.Elapsed.TotalSeconds, stage2.Elapsed.TotalSeconds);
            model.AttachMetrics(metrics);
            progress?.Report(new TrainingProgress(Stage.Evaluation, 1, 1, new Dictionary<string, double>(), evaluation.MeanMap));
            return new TrainedRun(new RunResult(metrics, evaluation, imageEmbeddings, textEmbeddings, predictions,
                RunLabels.Of(dataset, split.Shown)), model);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static TrainingContext CreateContext(TrainingRequest request, FeatureMatrix images, FeatureMatrix texts,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var dataset = request.Dataset;
        var device = request.Device;
        var labels = tensor(TensorConversions.MultiHot(dataset.Items.Select(i => i.Labels), dataset.ClassCount),
            [dataset.Items.Count, dataset.ClassCount], device: device);
        // Weights are built on the CPU and then moved, so their generator is a CPU one.
        var generator = new Generator((ulong)request.Seed, device);
        var modelGenerator = new Generator((ulong)request.Seed, CPU);
        return new TrainingContext(images.ToTensor(device), texts.ToTensor(device), labels, dataset.ClassCount,
            dataset.IsMultiLabel, request.Options, generator, modelGenerator, progress, cancellationToken);
    }

    private static NeuralProjector TrainCommonSpace(TrainingContext context, TrainingRequest request, RunSplit split,
        IReadOnlyList<LabelPrediction> predictions)
    {
        var dataset = request.Dataset;
        var targets = new float[dataset.Items.Count * dataset.ClassCount];
        var weights = new float[dataset.Items.Count];
        foreach (int row in split.Shown) SetTarget(row, dataset.Items[row].Labels, 1f);
        foreach (var prediction in predictions) SetTarget(prediction.Row, prediction.Labels, (float)prediction.Confidence);

        var rows = request.Method == Method.Supervised ? split.Labeled : split.Train;
        var validation = (split.Validation, (IReadOnlyList<IReadOnlyList<int>>)split.Validation.Select(r => dataset.Items[r].Labels).ToList());
        using var targetTensor = tensor(targets, [dataset.Items.Count, dataset.ClassCount], device: context.Device);
        using var weightTensor = tensor(weights, device: context.Device);
        var network = CommonSpaceTrainer.Train(context, rows, targetTensor, weightTensor, validation);
        return new NeuralProjector(network, context.Device);

        void SetTarget(int row, IReadOnlyList<int> labels, float weight)
        {
            foreach (int label in labels) targets[row * dataset.ClassCount + label] = 1f;
            weights[row] = weight;
        }
    }

    private static double? Stage1Score(FeatureDataset dataset, IReadOnlyList<LabelPrediction> predictions)
    {
        var scored = predictions.Where(p => dataset.Items[p.Row].HasLabels).ToList();
        return scored.Count == 0 ? null : PredictionRule.Score(scored, row => dataset.Items[row].Labels, dataset.IsMultiLabel);
    }
}
