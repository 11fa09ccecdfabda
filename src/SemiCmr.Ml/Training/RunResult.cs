using SemiCmr.Ml.Data;
using SemiCmr.Ml.Evaluation;
using SemiCmr.Ml.Models;

namespace SemiCmr.Ml.Training;

/// <summary>The metrics a run reports; Stage1Accuracy is accuracy (single-label) or example-based F1 (multi-label).</summary>
public sealed record RunMetrics(
    double MapI2T,
    double MapT2I,
    double? Stage1Accuracy,
    int Labeled,
    double SecondsStage1,
    double SecondsStage2);

/// <summary>
/// What a finished run gives back: metrics, the full evaluation, the common-space embeddings of every
/// item (row-aligned with the dataset), the stage-1 predictions for the unlabeled training items and the labels
/// the run was trained and evaluated with.
/// </summary>
public sealed record RunResult(
    RunMetrics Metrics,
    CrossModalReport Evaluation,
    FeatureMatrix ImageEmbeddings,
    FeatureMatrix TextEmbeddings,
    IReadOnlyList<LabelPrediction> Predictions,
    RunLabels Labels);

/// <summary>A stage-1 prediction for one unlabeled training item (row index into the dataset).</summary>
public sealed record LabelPrediction(int Row, IReadOnlyList<int> Labels, double Confidence);
