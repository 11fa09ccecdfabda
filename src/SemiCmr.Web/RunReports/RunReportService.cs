using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using SemiCmr.Ml.Analysis;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Evaluation;
using SemiCmr.Ml.Models;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Api;
using SemiCmr.Web.Budgets;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Progress;

namespace SemiCmr.Web.RunReports;

/// <summary>
/// Builds a succeeded run's <see cref="RunReport"/> from its folder (evaluation.json, predictions.json, embeddings)
/// and the labels it was trained with (labels.json), so annotating items later does not change it: the report only
/// says how many items' labels changed since. A run saved before runs recorded their labels is reported with the
/// database's labels of today, and says so. Reports are cached (a few at a time). Only a succeeded run has a
/// report; files that cannot be read are a problem (logged with the reason, which names server paths), never an
/// exception for the caller.
/// </summary>
public sealed class RunReportService(IDbContextFactory<SemiCmrDb> dbFactory, AppPaths paths, ILogger<RunReportService> logger)
{
    /// <summary>Test items drawn in the projection at most (evenly spaced): more only clutters the plot.</summary>
    public const int MaxProjectedItems = 400;

    private const int CacheSize = 8;
    private readonly ConcurrentDictionary<int, Lazy<Task<CachedReport>>> cache = new();

    /// <summary>A report with the labels it was computed with (the recorded ones, or today's for an older run).</summary>
    private sealed record CachedReport(RunReport Report, RunLabels Labels, int DatasetId);

    public async Task<Outcome<RunReport>> Get(int runId, CancellationToken cancellationToken = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var status = await db.Runs.Where(r => r.Id == runId).Select(r => (RunStatus?)r.Status).FirstOrDefaultAsync(cancellationToken);
            if (status is null) return ServiceProblem.NotFound("id", $"Run {runId}");
            if (status != RunStatus.Succeeded)
                return ServiceProblem.Conflict("id", $"Run {runId} is {RunProgressEvent.Name(status.Value)}: only a succeeded run has results.");
        }
        try
        {
            return await Report(runId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or System.Text.Json.JsonException)
        {
            logger.LogWarning(e, "The results of run {RunId} could not be read", runId);
            return ServiceProblem.Field(ProblemKind.Failed, "id", $"The results of run {runId} could not be read.");
        }
    }

    private async Task<RunReport> Report(int runId)
    {
        var cached = await Cached(runId);
        int changed = cached.Labels.CountChanged(await TodaysLabels(cached.DatasetId));
        if (changed > 0 && !cached.Report.Labels.Recorded)
        {
            // An older run is reported with today's labels, so a label edit makes its report stale.
            cache.TryRemove(runId, out _);
            return (await Cached(runId)).Report;
        }
        return cached.Report.Labels.Recorded ? cached.Report with { Labels = new ReportLabels(true, changed) } : cached.Report;
    }

    private Task<CachedReport> Cached(int runId)
    {
        var lazy = cache.GetOrAdd(runId, id => new Lazy<Task<CachedReport>>(() => Task.Run(() => Build(id))));
        if (cache.Count > CacheSize)
            foreach (var stale in cache.Keys.Where(k => k != runId).Take(cache.Count - CacheSize)) cache.TryRemove(stale, out _);
        return Faulted(runId, lazy.Value);
    }

    private async Task<CachedReport> Faulted(int runId, Task<CachedReport> task)
    {
        try { return await task; }
        catch
        {
            cache.TryRemove(runId, out _); // not cached: the next visit tries again
            throw;
        }
    }

    private async Task<IReadOnlyList<IReadOnlyList<int>>> TodaysLabels(int datasetId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return [.. (await DatabaseLabels.ItemsByRow(db, datasetId)).Select(i => i.Labels)];
    }

    private async Task<CachedReport> Build(int runId)
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
        return new CachedReport(report, labels, run.DatasetId);
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
