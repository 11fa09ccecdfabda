using SemiCmr.Ml.Analysis;
using SemiCmr.Ml.Evaluation;

namespace SemiCmr.Web.RunReports;

/// <summary>One test item of one modality in the 2-D PCA view of the common space.</summary>
public sealed record ProjectedPoint(string ItemId, bool IsImage, double X, double Y, int? Label);

/// <summary>
/// Everything the results part of a run page shows, computed once from the run folder: the evaluation
/// (MAP and PR curves), per-class AP, how stage 1 did against the true labels, and the 2-D projection.
/// </summary>
public sealed record RunReport(
    CrossModalReport Evaluation,
    IReadOnlyList<string> Classes,
    bool IsMultiLabel,
    IReadOnlyList<ClassAveragePrecision> ClassAp,
    ConfusionMatrix? Confusion,
    IReadOnlyList<ClassScore>? ClassScores,
    int Predictions,
    IReadOnlyList<ProjectedPoint> Projection,
    IReadOnlyList<double> ExplainedVariance,
    int TestItems);
