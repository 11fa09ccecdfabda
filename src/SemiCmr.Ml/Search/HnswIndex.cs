using Cloud.Unum.USearch;
using SemiCmr.Ml.Runtime;

namespace SemiCmr.Ml.Search;

/// <summary>
/// Approximate search: a USearch HNSW graph (cosine), built once on low-priority threads, saved as a file and
/// opened memory-mapped. Hits are rescored against the <see cref="ExactIndex"/> it sits on, so a score is the same
/// whichever index answered. A label filter over-fetches from the graph and falls back to the exact scan over the
/// filter's rows when too few of them come back (a rare label, or a query lying among other classes), so a filtered
/// page is never short. USearch's own filtered walk was tried and dropped: in a trained common space, where classes
/// form regions, a query from another class walks most of its own class first (REST p50 58 ms at a million items against
/// 7 ms for this; README, "A million items").
/// </summary>
public sealed class HnswIndex : IVectorIndex
{
    public const int Connectivity = 16;
    public const int ExpansionAdd = 128;
    /// <summary>
    /// Candidates a query's graph walk keeps (USearch's ef) unless the index is told otherwise: at a million 128-d
    /// vectors it finds 96% of the exact top 10, where 96 found 86% (README, "Vector indexes").
    /// </summary>
    public const int DefaultSearchExpansion = 256;

    // Past this many graph results (a deep page, a rare label), walking the graph costs more than the exact scan over
    // the rows it may return.
    private const int MaxFetch = 4096;
    private const int RowsPerBuildStep = 2048;

    private readonly UsearchHandle handle;
    private readonly ExactIndex exact;
    // USearch serves as many calls at once as the machine has cores and fails the rest.
    private readonly SemaphoreSlim slots = new(Environment.ProcessorCount);

    private HnswIndex(UsearchHandle handle, ExactIndex exact)
    {
        this.handle = handle;
        this.exact = exact;
    }

    public string Kind => "hnsw";

    /// <summary>
    /// Candidates a query's graph walk keeps (USearch's ef, at least k): more finds more of the exact top k and costs
    /// time about in proportion. Changing it needs no rebuild.
    /// </summary>
    public int SearchExpansion
    {
        get => searchExpansion;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            UsearchNative.usearch_change_expansion_search(handle, (nuint)value, out var error);
            UsearchNative.Check(error);
            searchExpansion = value;
        }
    }

    private int searchExpansion = DefaultSearchExpansion;
    public int Count => exact.Count;
    public int Dimensions => exact.Dimensions;

    /// <summary>Builds the graph over <paramref name="exact"/>'s rows on low-priority threads, reporting the share done (0-1) from them.</summary>
    public static HnswIndex Build(ExactIndex exact, Action<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var index = new HnswIndex(Create(exact.Dimensions), exact);
        try
        {
            UsearchNative.usearch_reserve(index.handle, (nuint)exact.Count, out var error);
            UsearchNative.Check(error);
            int steps = (exact.Count + RowsPerBuildStep - 1) / RowsPerBuildStep, done = 0;
            BackgroundWork.For("hnsw-build", steps, Environment.ProcessorCount, step =>
            {
                int end = Math.Min(exact.Count, (step + 1) * RowsPerBuildStep);
                for (int row = step * RowsPerBuildStep; row < end; row++)
                {
                    UsearchNative.usearch_add(index.handle, (ulong)row, in exact.Row(row)[0], ScalarKind.Float32, out var addError);
                    UsearchNative.Check(addError);
                }
                progress?.Invoke((double)Interlocked.Increment(ref done) / steps);
            }, cancellationToken);
            return index;
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    /// <summary>Opens a saved graph memory-mapped (nothing is read until queries touch it); it must match <paramref name="exact"/>.</summary>
    public static HnswIndex Open(string path, ExactIndex exact)
    {
        if (!File.Exists(path)) throw new FileNotFoundException("The HNSW index file is missing.", Path.GetFileName(path));
        var index = new HnswIndex(Create(exact.Dimensions), exact);
        try
        {
            UsearchNative.usearch_view(index.handle, path, out var error);
            UsearchNative.Check(error);
            long size = (long)UsearchNative.usearch_size(index.handle, out error);
            UsearchNative.Check(error);
            long dimensions = (long)UsearchNative.usearch_dimensions(index.handle, out error);
            UsearchNative.Check(error);
            if (size != exact.Count || dimensions != exact.Dimensions)
                throw new InvalidDataException($"The HNSW index holds {size} vectors of {dimensions} dimensions; the embeddings are {exact.Count} of {exact.Dimensions}.");
            return index;
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    /// <summary>Writes the graph to <paramref name="path"/> under a temporary name first, so a crash never leaves half a file.</summary>
    public void Save(string path)
    {
        string temporary = path + ".saving";
        UsearchNative.usearch_save(handle, temporary, out var error);
        UsearchNative.Check(error);
        File.Move(temporary, path, overwrite: true);
    }

    public VectorPage Search(ReadOnlySpan<float> query, int k, int offset, RowSet? allowed = null)
    {
        var normalised = exact.NormalisedQuery(query);
        if (allowed is not null && allowed.Capacity != Count)
            throw new ArgumentException($"The filter covers {allowed.Capacity} rows; the index has {Count}.", nameof(allowed));
        int total = allowed?.Count ?? Count;
        int keep = (int)Math.Min((long)offset + k, total);
        if (keep <= 0 || k <= 0) return new VectorPage([], total);
        // Scaled by the filter's selectivity, twice over, so that about `keep` allowed rows come back.
        long fetch = allowed is null ? keep : (long)keep * Count / Math.Max(1, allowed.Count) * 2;
        if (fetch > MaxFetch) return exact.Search(normalised, k, offset, allowed);

        var found = Nearest(normalised, (int)Math.Min(fetch, Count));
        var hits = new List<VectorHit>(found.Length);
        foreach (ulong key in found)
            if (allowed is null || allowed.Contains((int)key)) hits.Add(new VectorHit((int)key, exact.Score(normalised, (int)key)));
        // The query lies away from the filter's rows (another class): the exact scan over those rows answers.
        if (hits.Count < keep) return exact.Search(normalised, k, offset, allowed);
        hits.Sort(TopK.Compare);
        return new VectorPage(hits.Count <= offset ? [] : hits.GetRange(offset, Math.Min(k, hits.Count - offset)), total);
    }

    public void Dispose() => handle.Dispose();

    private ulong[] Nearest(float[] query, int count)
    {
        var keys = new ulong[count];
        var distances = new float[count];
        slots.Wait();
        nuint found;
        try
        {
            found = UsearchNative.usearch_search(handle, in query[0], ScalarKind.Float32, (nuint)count, keys, distances, out var error);
            UsearchNative.Check(error);
        }
        finally
        {
            slots.Release();
        }
        return found == (nuint)count ? keys : keys[..(int)found];
    }

    private static UsearchHandle Create(int dimensions)
    {
        var options = new IndexOptions
        {
            metric_kind = MetricKind.Cos,
            // The graph's copy of each vector only steers the walk (hits are rescored exactly), so half precision is
            // enough: the same recall, half the file and memory, and faster queries (README, "Vector indexes").
            quantization = ScalarKind.Float16,
            dimensions = (ulong)dimensions,
            connectivity = Connectivity,
            expansion_add = ExpansionAdd,
            expansion_search = DefaultSearchExpansion,
        };
        var handle = UsearchNative.usearch_init(ref options, out var error);
        UsearchNative.Check(error);
        return handle;
    }
}
