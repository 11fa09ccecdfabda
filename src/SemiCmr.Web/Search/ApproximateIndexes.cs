using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SemiCmr.Ml.Models;
using SemiCmr.Ml.Runtime;
using SemiCmr.Ml.Search;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Progress;

namespace SemiCmr.Web.Search;

/// <summary>
/// The HNSW indexes of runs above Search:ApproximateAbove items: opened memory-mapped from the run folder when
/// saved, otherwise built on a low-priority thread and saved there (one build per run at a time), its progress
/// published through <see cref="RunProgressBroadcaster.PublishIndexBuild"/>. Until a run's graphs are ready its
/// searches are exact.
/// </summary>
public sealed class ApproximateIndexes(AppPaths paths, IOptions<SearchOptions> options, RunProgressBroadcaster broadcaster, ILogger<ApproximateIndexes> logger)
{
    public const string ImagesFile = "hnsw_images.usearch";
    public const string TextsFile = "hnsw_texts.usearch";

    private readonly ConcurrentDictionary<int, Build> builds = new();

    /// <summary>A build under way (or failed): its progress and the indexes it upgrades when done.</summary>
    private sealed class Build
    {
        public readonly List<SearchIndex> Waiting = [];
        public double Images, Texts;
        public string? Error;
        public bool Running = true;
        public double Progress => (Volatile.Read(ref Images) + Volatile.Read(ref Texts)) / 2;
    }

    public bool Wanted(int items) => items > options.Value.ApproximateAbove;

    /// <summary>True when both of the run's graphs are saved in its folder.</summary>
    public bool Saved(int runId) => File.Exists(Path.Combine(paths.Run(runId), ImagesFile)) && File.Exists(Path.Combine(paths.Run(runId), TextsFile));

    /// <summary>The run's build under way or failed: (running, share done 0-1, why it failed).</summary>
    public (bool Running, double Progress, string? Error)? BuildOf(int runId) =>
        builds.TryGetValue(runId, out var build) ? (Volatile.Read(ref build.Running), build.Progress, build.Error) : null;

    /// <summary>Called when a run's index is loaded: opens its saved graphs, or starts building them if the run is large enough.</summary>
    public void Attach(int runId, SearchIndex index)
    {
        if (!Wanted(index.Count)) return;
        if (Saved(runId))
        {
            try
            {
                Open(runId, index);
                return;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                logger.LogWarning("The HNSW index of run {RunId} cannot be opened ({Reason}); building it again", runId, e.Message);
            }
        }
        var build = new Build();
        lock (builds)
        {
            if (builds.TryGetValue(runId, out var current) && current.Running)
            {
                lock (current.Waiting) current.Waiting.Add(index);
                return;
            }
            build.Waiting.Add(index);
            builds[runId] = build;
        }
        _ = BackgroundWork.Run($"hnsw-{runId}", () => Run(runId, index, build));
    }

    private bool Run(int runId, SearchIndex index, Build build)
    {
        try
        {
            string folder = paths.Run(runId);
            broadcaster.PublishIndexBuild(new IndexBuildEvent(runId, 0));
            // The build reads the embeddings through its own mapping, closed when it ends: the index being searched may
            // be closed meanwhile (evicted), and the rows the build touched leave the app's memory with the mapping.
            using (var source = ExactIndex.Open(Path.Combine(folder, ModelFiles.ImageEmbeddings)))
            using (var images = HnswIndex.Build(source, p => Report(runId, build, ref build.Images, p)))
                images.Save(Path.Combine(folder, ImagesFile));
            using (var source = ExactIndex.Open(Path.Combine(folder, ModelFiles.TextEmbeddings)))
            using (var texts = HnswIndex.Build(source, p => Report(runId, build, ref build.Texts, p)))
                texts.Save(Path.Combine(folder, TextsFile));
            lock (build.Waiting)
                foreach (var waiting in build.Waiting) Open(runId, waiting);
            builds.TryRemove(runId, out _);
            logger.LogInformation("The HNSW index of run {RunId} ({Items} items) is built", runId, index.Count);
            broadcaster.PublishIndexBuild(new IndexBuildEvent(runId, 1, IsFinal: true));
            return true;
        }
        catch (Exception e)
        {
            // A run deleted during the build lands here too: its folder is gone.
            logger.LogWarning(e, "The HNSW index of run {RunId} could not be built; its search stays exact", runId);
            build.Error = "The approximate index could not be built; search stays exact.";
            Volatile.Write(ref build.Running, false); // before the event: a reader it prompts sees the build over
            broadcaster.PublishIndexBuild(new IndexBuildEvent(runId, build.Progress, IsFinal: true, build.Error));
            return false;
        }
        finally
        {
            Volatile.Write(ref build.Running, false);
        }
    }

    /// <summary>Records one modality's share done and publishes the whole build's (the broadcaster throttles it).</summary>
    private void Report(int runId, Build build, ref double modality, double done)
    {
        Volatile.Write(ref modality, done);
        broadcaster.PublishIndexBuild(new IndexBuildEvent(runId, build.Progress));
    }

    private void Open(int runId, SearchIndex index)
    {
        string folder = paths.Run(runId);
        var images = HnswIndex.Open(Path.Combine(folder, ImagesFile), index.ExactImages);
        try
        {
            images.SearchExpansion = options.Value.HnswExpansion;
            var texts = HnswIndex.Open(Path.Combine(folder, TextsFile), index.ExactTexts);
            texts.SearchExpansion = options.Value.HnswExpansion;
            index.UseApproximate(images, texts);
        }
        catch
        {
            images.Dispose();
            throw;
        }
    }
}
