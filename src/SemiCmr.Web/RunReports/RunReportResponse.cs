using SemiCmr.Ml.Analysis;
using SemiCmr.Ml.Evaluation;

namespace SemiCmr.Web.RunReports;

/// <summary>One row of a per-class table; Class is -1 and Name "other" for the row summarising the classes left out.</summary>
public sealed record ClassApRow(int Class, string Name, double? ImageToText, double? TextToImage, int Queries);

public sealed record ClassScoreRow(int Class, string Name, double Precision, double Recall, int Support, int Predicted);

/// <summary>At most <see cref="ClassLimits.MaxShown"/> rows, then how many classes were left out and their summary.</summary>
public sealed record ClassRows<T>(IReadOnlyList<T> Rows, int MoreClasses, T? Rest) where T : class;

/// <summary>Classes name the rows and columns of Counts (true in rows); "other" last when MoreClasses &gt; 0.</summary>
public sealed record ConfusionResponse(IReadOnlyList<string> Classes, int[][] Counts, int Total, int Correct, double Accuracy, int MoreClasses);

/// <summary>
/// Source "run": the report uses the labels the run was trained with, and ChangedSince items' labels changed since;
/// "today": the run predates recorded labels, its per-class parts use today's labels (ChangedSince is null).
/// </summary>
public sealed record RunReportLabels(string Source, int? ChangedSince, string Note);

public sealed record ProjectedPointResponse(string ItemId, bool IsImage, double X, double Y, string Label);

/// <summary>
/// GET /api/runs/{id}/report: what the run page shows, bounded whatever the number of classes or items. Class names
/// are inline (only those listed), so the answer does not carry the dataset's whole class list.
/// </summary>
public sealed record RunReportResponse(
    int RunId,
    CrossModalReport Evaluation,
    int ClassCount,
    bool IsMultiLabel,
    ClassRows<ClassApRow> ClassAp,
    ConfusionResponse? Confusion,
    ClassRows<ClassScoreRow>? ClassScores,
    int Predictions,
    IReadOnlyList<ProjectedPointResponse> Projection,
    IReadOnlyList<double> ExplainedVariance,
    int TestItems,
    RunReportLabels Labels)
{
    public static RunReportResponse From(int runId, RunReport r) => new(
        runId, r.Evaluation, r.Classes.Count, r.IsMultiLabel,
        Rows(r.ClassAp, a => new ClassApRow(a.Class, r.ClassName(a.Class), a.ImageToText, a.TextToImage, a.Queries)),
        r.Confusion is { } m ? new ConfusionResponse([.. m.Classes.Select(c => r.ClassName(c))], m.Counts, m.Total, m.Correct, m.Accuracy, m.MoreClasses) : null,
        r.ClassScores is { } s ? Rows(s, c => new ClassScoreRow(c.Class, r.ClassName(c.Class), c.Precision, c.Recall, c.Support, c.Predicted)) : null,
        r.Predictions,
        [.. r.Projection.Select(p => new ProjectedPointResponse(p.ItemId, p.IsImage, p.X, p.Y, r.ClassName(p.Label)))],
        r.ExplainedVariance, r.TestItems,
        new RunReportLabels(r.Labels.Recorded ? "run" : "today", r.Labels.Recorded ? r.Labels.ChangedSince : null, r.Labels.Note));

    private static ClassRows<TOut> Rows<TIn, TOut>(ClassTable<TIn> table, Func<TIn, TOut> map) where TIn : class where TOut : class =>
        new([.. table.Rows.Select(map)], table.MoreClasses, table.Rest is { } rest ? map(rest) : null);
}
