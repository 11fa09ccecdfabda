using System.Numerics.Tensors;
using Cloud.Unum.USearch;
using SemiCmr.Ml.Runtime;

namespace SemiCmr.Ml.Search;

/// <summary>
/// Approximate search: a USearch HNSW graph (cosine), built once on low-priority threads, saved as a file and
/// opened memory-mapped. Hits are rescored against the <see cref="ExactIndex"/> it sits on, so a score is the same
/// whichever index answered. A label filter of few rows is answered by the exact index's shortlist of those rows
/// (<see cref="ExactIndex.SearchShortlisted"/>); a larger one over-fetches from the graph and falls back to the
/// shortlist when too few of the filter's rows come back (a query lying among other classes), so a filtered page is
/// never short. USearch's own filtered walk was tried and dropped: in a trained common space, where classes form
/// regions, a query from another class walks most of its own class first (REST p50 58 ms at a million items; README,
/// "A million items").
/// </summary>
public sealed class HnswIndex : IVectorIndex
{
    /// <summary>
    /// Neighbours a node keeps (64 on the bottom layer). 32 rather than USearch's 16: at a million 128-d vectors the walk
    /// then finds 96.5% of the exact top 10 in 0.89 ms (ef 128), where 16 needed ef 256 and 1.02 ms for 95.8%
    /// (README, "Vector indexes").
    /// </summary>
    public const int Connectivity = 32;
    /// <summary>
    /// Candidates each insertion's walk keeps while the graph is built. 256 rather than 128: a better-linked graph lets
    /// queries walk narrower (at a million items ef 96 then finds 95.5% of the exact top 10, where it found 94.5%), for
    /// up to half again the build time (README, "Vector indexes").
    /// </summary>
    public const int ExpansionAdd = 256;
    /// <summary>
    /// How the graph keeps its copy of each vector, which only steers the walk (hits are rescored exactly): 8 bits a
    /// component, a quarter of the float rows; at a million items a third faster than half precision for about the same
    /// recall (README, "Vector indexes").
    /// </summary>
    public const ScalarKind Quantization = ScalarKind.Int8;
    /// <summary>
    /// Candidates a query's graph walk keeps (USearch's ef) unless the index is told otherwise: at a million 128-d
    /// vectors it finds 96.6% of the exact top 10 in 0.76 ms, where ef 128 took 0.86 ms and ef 96 found 95.2%, too close
    /// to the 95% a search should keep (README, "Vector indexes").
    /// </summary>
    public const int DefaultSearchExpansion = 112;

    // Past this many graph results (a deep page, a rare label), walking the graph costs more than the shortlist of the
    // rows it may return.
    private const int MaxFetch = 4096;
    // A filter of at most this many rows is shortlisted at once: scanning them costs about what the graph walk does
    // (README, "Vector indexes").
    private const int DefaultDirectShortlistRows = 131_072;
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

    /// <summary>A label filter of at most this many rows skips the graph (tests lower it to reach the graph on small indexes).</summary>
    internal int DirectShortlistRows { get; set; } = DefaultDirectShortlistRows;

    public int Count => exact.Count;
    public int Dimensions => exact.Dimensions;

    /// <summary>Builds the graph over <paramref name="exact"/>'s rows on low-priority threads, reporting the share done (0-1) from them.</summary>
    public static HnswIndex Build(ExactIndex exact, Action<double>? progress = null, CancellationToken cancellationToken = default) =>
        Build(exact, Quantization, Connectivity, progress, cancellationToken);

    /// <summary>A graph of other settings: those of graphs saved by earlier versions, which <see cref="Open"/> still reads.</summary>
    internal static HnswIndex Build(ExactIndex exact, ScalarKind quantization, int connectivity, Action<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var index = new HnswIndex(Create(exact.Dimensions, quantization, connectivity), exact);
        try
        {
            UsearchNative.usearch_reserve(index.handle, (nuint)exact.Count, out var error);
            UsearchNative.Check(error);
            int steps = (exact.Count + RowsPerBuildStep - 1) / RowsPerBuildStep, done = 0;
            BackgroundWork.For("hnsw-build", steps, Environment.ProcessorCount, step =>
            {
                int end = Math.Min(exact.Count, (step + 1) * RowsPerBuildStep);
                // Unit vectors: USearch stores each component times 127 in 8 bits (mapped rows stay as the file has them).
                var unit = new float[exact.Dimensions];
                for (int row = step * RowsPerBuildStep; row < end; row++)
                {
                    exact.Row(row).CopyTo(unit);
                    float norm = TensorPrimitives.Norm(unit);
                    if (norm > 0) TensorPrimitives.Divide(unit, norm, unit);
                    UsearchNative.usearch_add(index.handle, (ulong)row, in unit[0], ScalarKind.Float32, out var addError);
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

    /// <summary>
    /// Opens a saved graph memory-mapped (nothing is read until queries touch it) with the settings it was built with
    /// (graphs of earlier versions keep their vectors in half precision); it must match <paramref name="exact"/>.
    /// </summary>
    public static HnswIndex Open(string path, ExactIndex exact)
    {
        if (!File.Exists(path)) throw new FileNotFoundException("The HNSW index file is missing.", Path.GetFileName(path));
        // Viewing a file takes its settings from the file, whatever the handle was created with.
        var index = new HnswIndex(Create(exact.Dimensions, Quantization, Connectivity), exact);
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
        // The walk keeps SearchExpansion candidates whatever it returns, ranked by the graph's 8-bit vectors: up to that
        // many, four times the page come back at no cost and are rescored exactly, so the rounding reorders nothing.
        if (allowed is null)
            return Page(Nearest(normalised, (int)Math.Min(Count, Math.Max(keep, Math.Min(4L * keep, searchExpansion)))), normalised, k, offset, allowed, total);
        // A filter of few rows is shortlisted from those rows at once. Else the graph is asked for enough neighbours to
        // leave `keep` allowed ones (the filter's selectivity, twice over); when the query lies away from the filter's
        // rows (another class) too few come back, and the shortlist answers.
        long fetch = (long)keep * Count / Math.Max(1, allowed.Count) * 2;
        if (allowed.Count <= DirectShortlistRows || fetch > MaxFetch) return exact.SearchShortlisted(normalised, k, offset, allowed);
        var page = Page(Nearest(normalised, (int)Math.Min(fetch, Count)), normalised, k, offset, allowed, total);
        return page.Hits.Count < Math.Min(k, total - offset) ? exact.SearchShortlisted(normalised, k, offset, allowed) : page;
    }

    /// <summary>The page of the graph's <paramref name="found"/> rows that <paramref name="allowed"/> lets through, rescored exactly.</summary>
    private VectorPage Page(ulong[] found, float[] normalised, int k, int offset, RowSet? allowed, int total)
    {
        var hits = new List<VectorHit>(found.Length);
        foreach (ulong key in found)
            if (allowed is null || allowed.Contains((int)key)) hits.Add(new VectorHit((int)key, exact.Score(normalised, (int)key)));
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

    private static UsearchHandle Create(int dimensions, ScalarKind quantization, int connectivity)
    {
        var options = new IndexOptions
        {
            metric_kind = MetricKind.Cos,
            quantization = quantization,
            dimensions = (ulong)dimensions,
            connectivity = (ulong)connectivity,
            expansion_add = ExpansionAdd,
            expansion_search = DefaultSearchExpansion,
        };
        var handle = UsearchNative.usearch_init(ref options, out var error);
        UsearchNative.Check(error);
        return handle;
    }
}
