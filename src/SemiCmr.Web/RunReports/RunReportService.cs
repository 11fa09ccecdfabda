using Microsoft.EntityFrameworkCore;
using SemiCmr.Ml.Analysis;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Evaluation;
using SemiCmr.Ml.Models;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Api;
using SemiCmr.Web.Budgets;
using SemiCmr.Web.Caching;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Progress;

namespace SemiCmr.Web.RunReports;

/// <summary>
/// Builds a succeeded run's <see cref="RunReport"/> from its folder (evaluation.json, predictions.json, embeddings)
/// and the labels it was trained with (labels.json), so annotating items later does not change it: the report only
/// says how many items' labels changed since. A run saved before runs recorded their labels is reported with the
/// database's labels of today, and says so. Reports and the counts of changed labels live in the
/// <see cref="ResourceCache"/>: an annotation drops the counts (and the reports made with today's labels), so the
/// next visit counts again without rebuilding a report. Only a succeeded run has a report; files that cannot be read
/// are a problem (logged with the reason, which names server paths), never an exception for the caller.
/// </summary>
public sealed class RunReportService(IDbContextFactory<SemiCmrDb> dbFactory, AppPaths paths, ResourceCache cache, ILogger<RunReportService> logger)
{
    /// <summary>Test items drawn in the projection at most (evenly spaced): more only clutters the plot.</summary>
    public const int MaxProjectedItems = 400;

    /// <summary>A report with the labels it was computed with (the recorded ones, or today's for an older run).</summary>
    private sealed record BuiltReport(RunReport Report, RunLabels Labels);

    /// <summary>How many items' labels today differ from those the run recorded.</summary>
    private sealed record LabelsChanged(int Count);

    public async Task<Outcome<RunReport>> Get(int runId, CancellationToken cancellationToken = default)
    {
        int datasetId;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var run = await db.Runs.Where(r => r.Id == runId).Select(r => new { r.Status, r.DatasetId }).FirstOrDefaultAsync(cancellationToken);
            if (run is null) return ServiceProblem.NotFound("id", $"Run {runId}");
            if (run.Status != RunStatus.Succeeded)
                return ServiceProblem.Conflict("id", $"Run {runId} is {RunProgressEvent.Name(run.Status)}: only a succeeded run has results.");
            datasetId = run.DatasetId;
        }
        try
        {
            return await Report(runId, datasetId, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or System.Text.Json.JsonException)
        {
            logger.LogWarning(e, "The results of run {RunId} could not be read", runId);
            return ServiceProblem.Field(ProblemKind.Failed, "id", $"The results of run {runId} could not be read.");
        }
    }

    private async Task<RunReport> Report(int runId, int datasetId, CancellationToken cancellationToken)
    {
        using var built = await cache.Lease(runId, () => Build(runId), cancellationToken);
        var report = built.Value.Report;
        if (!report.Labels.Recorded) return report; // made with today's labels: an annotation drops it
        var recorded = built.Value.Labels;
        using var changed = await cache.Lease(runId, () => CountChanged(runId, datasetId, recorded), cancellationToken);
        return report with { Labels = new ReportLabels(true, changed.Value.Count) };
    }

    private async Task<Cached<LabelsChanged>> CountChanged(int runId, int datasetId, RunLabels recorded)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var today = (await DatabaseLabels.ItemsByRow(db, datasetId)).Select(i => i.Labels).ToList();
        const int Bytes = 64; // one small record
        return new Cached<LabelsChanged>(new LabelsChanged(recorded.CountChanged(today)), Bytes,
            [CacheTag.Run(runId), CacheTag.Dataset(datasetId), CacheTag.Labels(datasetId)]);
    }

    private async Task<Cached<BuiltReport>> Build(int runId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var run = await db.Runs.AsNoTracking().Include(r => r.Dataset).SingleAsync(r => r.Id == runId);
        var items = await DatabaseLabels.ItemsByRow(db, run.DatasetId);
        var dataset = run.Dataset!;
        string folder = paths.Run(runId);
        var recorded = RunLabels.Read(folder);
        var labels = recorded ?? new RunLabels([.. items.Select(i => i.Labels)], []);
        IReadOnlyList<int> LabelsOf(int row) => row < labels.Labels.Count ? labels.Labels[row] : [];

        var evaluation = ModelFiles.ReadJson<CrossModalReport>(Path.Combine(folder, ModelFiles.Evaluation));
        var images = Npy.Read(Path.Combine(folder, ModelFiles.ImageEmbeddings));
        var texts = Npy.Read(Path.Combine(folder, ModelFiles.TextEmbeddings));
        int classCount = dataset.Classes.Count;

        var test = items.Where(i => i.Split == Split.Test).ToList();
        var testRows = test.Select(i => i.Row).ToList();
        var testLabels = testRows.Select(LabelsOf).ToList();
        var classAp = testRows.Count == 0 ? new ClassTable<ClassAveragePrecision>([], 0, null)
            : ClassRetrieval.Compute(images.SelectRows(testRows), texts.SelectRows(testRows), testLabels, classCount);

        ConfusionMatrix? confusion = null;
        ClassTable<ClassScore>? scores = null;
        var predictionsPath = Path.Combine(folder, ModelFiles.Predictions);
        var predictions = File.Exists(predictionsPath) ? ModelFiles.ReadJson<List<LabelPrediction>>(predictionsPath) : [];
        var judged = predictions.Where(p => LabelsOf(p.Row).Count > 0).ToList();
        if (judged.Count > 0)
        {
            var truth = judged.Select(p => LabelsOf(p.Row)).ToList();
            var guessed = judged.Select(p => p.Labels).ToList();
            if (dataset.IsMultiLabel) scores = LabelAgreement.PerClass(truth, guessed, classCount);
            else confusion = LabelAgreement.Confusion(truth, guessed, classCount);
        }

        var (projection, explained) = Project(test.Select(i => (i.Row, i.ExternalId, Label: LabelsOf(i.Row).Count > 0 ? LabelsOf(i.Row)[0] : (int?)null)).ToList(), images, texts);
        var report = new RunReport(evaluation, dataset.Classes, dataset.IsMultiLabel, classAp, confusion, scores, judged.Count, projection, explained, test.Count,
            new ReportLabels(recorded is not null, 0));
        CacheTag[] tags = recorded is null
            ? [CacheTag.Run(runId), CacheTag.Dataset(run.DatasetId), CacheTag.Labels(run.DatasetId)]
            : [CacheTag.Run(runId), CacheTag.Dataset(run.DatasetId)];
        return new Cached<BuiltReport>(new BuiltReport(report, labels), EstimateBytes(report, labels), tags);
    }

    /// <summary>
    /// What a cached report holds: every item's labels (a list each), the projected points with their ids, the class
    /// names, and the parts bounded by <see cref="ClassLimits.MaxShown"/> (evaluation, per-class tables, confusion).
    /// </summary>
    private static long EstimateBytes(RunReport report, RunLabels labels)
    {
        const int ListObject = 56, PointObject = 64, StringHeader = 24, BoundedParts = 16 * 1024;
        long itemLabels = labels.Labels.Sum(l => ListObject + 4L * l.Count) + 4L * labels.Shown.Count;
        long projection = report.Projection.Sum(p => PointObject + StringHeader + 2L * p.ItemId.Length);
        long classes = report.Classes.Sum(c => StringHeader + 2L * c.Length);
        return itemLabels + projection + classes + BoundedParts;
    }

    /// <summary>One PCA fitted on both modalities together, so images and texts share the axes they are drawn on.</summary>
    private static (IReadOnlyList<ProjectedPoint>, IReadOnlyList<double>) Project(
        IReadOnlyList<(int Row, string Id, int? Label)> test, FeatureMatrix images, FeatureMatrix texts)
    {
        if (test.Count < 2) return ([], []);
        int step = (int)Math.Ceiling(test.Count / (double)MaxProjectedItems);
        var shown = test.Where((_, i) => i % step == 0).ToList();
        var rows = shown.Select(t => t.Row).ToList();
        var imageRows = images.SelectRows(rows);
        var textRows = texts.SelectRows(rows);
        var stacked = new FeatureMatrix([.. imageRows.Values, .. textRows.Values], rows.Count * 2, images.Columns);
        var model = Pca.Fit(stacked, components: 2);
        var coordinates = model.Project(stacked);
        var points = new List<ProjectedPoint>(coordinates.Length);
        for (int i = 0; i < coordinates.Length; i++)
        {
            var item = shown[i % shown.Count];
            points.Add(new ProjectedPoint(item.Id, i < shown.Count, coordinates[i][0], coordinates[i].Length > 1 ? coordinates[i][1] : 0, item.Label));
        }
        return (points, model.ExplainedRatio);
    }
}
