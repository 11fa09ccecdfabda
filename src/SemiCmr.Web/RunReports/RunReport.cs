using System.Globalization;
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
/// Its per-class parts use the labels the run was trained with (see <see cref="ReportLabels"/>).
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
    int TestItems,
    ReportLabels Labels)
{
    /// <summary>A class's name, "other" for the row that summarises the classes left out.</summary>
    public string ClassName(int? label) => label switch
    {
        ClassLimits.Other => "other",
        { } c when c >= 0 && c < Classes.Count => Classes[c],
        _ => "unlabeled",
    };
}

/// <summary>
/// Which labels a report's per-class parts use: those the run was trained and evaluated with (Recorded), with how many
/// items' labels changed since; or, for a run saved before runs recorded their labels, the dataset's labels of today.
/// </summary>
public sealed record ReportLabels(bool Recorded, int ChangedSince)
{
    public bool IsWorthNoting => !Recorded || ChangedSince > 0;

    public string Note => (Recorded, ChangedSince) switch
    {
        (false, _) => "This run was saved before runs recorded their labels: its per-class AP, stage-1 results and projection use the dataset's labels of today; its MAP and curves were computed when it was trained.",
        (true, 0) => "The results use the labels this run was trained with; no item's labels changed since.",
        (true, 1) => "1 item's labels changed since this run was trained; its results use the labels it was trained with.",
        (true, var n) => string.Create(CultureInfo.InvariantCulture, $"{n:N0} items' labels changed since this run was trained; its results use the labels it was trained with."),
    };
}
