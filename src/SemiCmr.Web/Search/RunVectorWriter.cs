using SemiCmr.Ml.Models;
using SemiCmr.Ml.Search;
using SemiCmr.Ml.Search.Pgvector;
using SemiCmr.Web.Progress;

namespace SemiCmr.Web.Search;

/// <summary>
/// On PostgreSQL, puts a trained run's image and text embeddings into the vectors table before the run is marked
/// succeeded, so a succeeded run is always searchable from any instance without its files: binary COPY in batches (one
/// transaction: all of the run's rows or none), then, for runs above Search:ApproximateAbove, an HNSW index per side.
/// Progress goes out as <see cref="IndexBuildEvent"/>s (the search page's index chip). A failure or cancel removes
/// what was written and fails the run (it is not succeeded without its vectors). Nothing to do with SQLite.
/// </summary>
public sealed class RunVectorWriter(RunVectorStore store, ApproximateIndexes approximate, RunProgressBroadcaster broadcaster, ILogger<RunVectorWriter> logger)
{
    // Shares of the whole job when an index is built: the COPY is quick beside the graphs.
    private const double CopyShare = 0.2, GraphShare = (1 - CopyShare) / 2;

    /// <summary>Writes the run's vectors from its saved folder; called on the training thread at the end of a run.</summary>
    public void Write(int runId, string runFolder, CancellationToken cancellationToken)
    {
        if (store.InUse) WriteAsync(runId, runFolder, cancellationToken).GetAwaiter().GetResult(); // the worker's own thread: nothing to return to
    }

    private async Task WriteAsync(int runId, string runFolder, CancellationToken cancellationToken)
    {
        using var images = ExactIndex.Open(Path.Combine(runFolder, ModelFiles.ImageEmbeddings));
        using var texts = ExactIndex.Open(Path.Combine(runFolder, ModelFiles.TextEmbeddings));
        bool graphs = approximate.Wanted(images.Count);
        double copyShare = graphs ? CopyShare : 1;
        void Report(double progress)
        {
            // Below Search:ApproximateAbove nothing is indexed: the search page shows no build for such a run.
            if (graphs) broadcaster.PublishIndexBuild(new IndexBuildEvent(runId, progress));
        }
        try
        {
            Report(0);
            // A run trained again after its worker died may have left rows and a half-built index: start clean.
            await store.DropIndexes([runId]);
            await using (var connection = await store.DataSource.OpenConnectionAsync(cancellationToken))
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
            {
                await VectorCopy.Delete(connection, RunVectorStore.Table, runId, cancellationToken);
                long total = (long)images.Count + texts.Count;
                await VectorCopy.Write(connection, RunVectorStore.Table, runId, VectorTable.Images, images, n => Report(copyShare * n / total), cancellationToken);
                await VectorCopy.Write(connection, RunVectorStore.Table, runId, VectorTable.Texts, texts, n => Report(copyShare * (images.Count + n) / total), cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            if (graphs)
            {
                await VectorIndexBuild.Build(store.DataSource, RunVectorStore.Table, runId, VectorTable.Images, images.Dimensions, images.Count,
                    p => Report(CopyShare + GraphShare * p), cancellationToken);
                await VectorIndexBuild.Build(store.DataSource, RunVectorStore.Table, runId, VectorTable.Texts, texts.Dimensions, texts.Count,
                    p => Report(CopyShare + GraphShare * (1 + p)), cancellationToken);
                broadcaster.PublishIndexBuild(new IndexBuildEvent(runId, 1, IsFinal: true));
            }
            logger.LogInformation("The vectors of run {RunId} ({Items} items) are in PostgreSQL{Indexed}", runId, images.Count, graphs ? ", HNSW-indexed" : "");
        }
        catch (Exception e)
        {
            if (graphs) broadcaster.PublishIndexBuild(new IndexBuildEvent(runId, 0, IsFinal: true, "The run's vectors could not be written to PostgreSQL."));
            await RemoveQuietly(runId, e);
            throw;
        }
    }

    private async Task RemoveQuietly(int runId, Exception cause)
    {
        try
        {
            await using (var connection = await store.DataSource.OpenConnectionAsync())
                await VectorCopy.Delete(connection, RunVectorStore.Table, runId);
            await store.DropIndexes([runId]);
        }
        catch (Exception e)
        {
            // Left rows go with the run when it is deleted (foreign key); left indexes when it is trained again or deleted.
            logger.LogWarning(e, "The vectors of run {RunId} could not be removed after {Cause}", runId, cause.GetType().Name);
        }
    }
}
