using SemiCmr.Ml.Analysis;
using SemiCmr.Ml.Evaluation;

namespace SemiCmr.Web.RunReports;

/// <summary>One test item of one modality in the 2-D PCA view of the common space.</summary>
public sealed record ProjectedPoint(string ItemId, bool IsImage, double X, double Y, int? Label);

/// <summary>
/// Everything the results part of a run page shows, computed once from the run folder: the evaluation
/// (MAP and PR curves), per-class AP, how stage 1 did against the true labels, and the 2-D projection.
/// Its size does not grow with the number of classes: per-class parts list at most <see cref="ClassLimits.MaxShown"/>
/// classes (<see cref="ClassTable{T}"/>, <see cref="ConfusionMatrix"/>), and at most
/// <see cref="RunReportService.MaxProjectedItems"/> items are projected. Classes is the dataset's list, shared, not copied.
/// </summary>
public sealed record RunReport(
    CrossModalReport Evaluation,
    IReadOnlyList<string> Classes,
    bool IsMultiLabel,
    ClassTable<ClassAveragePrecision> ClassAp,
    ConfusionMatrix? Confusion,
    ClassTable<ClassScore>? ClassScores,
    int Predictions,
    IReadOnlyList<ProjectedPoint> Projection,
    IReadOnlyList<double> ExplainedVariance,
    int TestItems)
{
    /// <summary>A class's name, "other" for the row that summarises the classes left out.</summary>
    public string ClassName(int? label) => label switch
    {
        ClassLimits.Other => "other",
        { } c when c >= 0 && c < Classes.Count => Classes[c],
        _ => "unlabeled",
    };
}
