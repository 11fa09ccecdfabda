using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Runtime;

namespace SemiCmr.Ml.Search;

/// <summary>
/// Every candidate scored: float32 rows, dot products by <see cref="TensorPrimitives"/> (SIMD), rows split across
/// cores for large indexes, a bounded heap per part and one merge. A label filter's bitset is tested before a row is
/// scored, so filtered rows cost nothing. The rows are either a managed array normalised in place or a run's
/// embeddings file mapped as it is (<see cref="Mapped"/>), scaled by each row's inverse norm as it is scored: behind an
/// HNSW graph only the rows a query rescores are then read into memory. <see cref="SearchShortlisted"/> ranks a label
/// filter's rows by 8-bit copies first and rescores a shortlist (what the HNSW index asks for).
/// </summary>
public sealed class ExactIndex : IVectorIndex
{
    // Below this many rows per part, handing work to another core costs more than it saves. A multiple of 64 keeps
    // each part's rows on whole words of a filter's bitset.
    private const int MinRowsPerPart = 32 * 1024;

    private readonly float[]? rows;
    private readonly MappedMatrix? mapped;
    // 1 / |row| for mapped rows (which stay as the file has them); null when the rows are normalised in memory.
    private readonly float[]? inverseNorms;
    // The rows in 8 bits for shortlists: made with the norms when a file is opened, else on the first shortlist; stored
    // in `order` when a file was opened with one, else row by row.
    private QuantizedRows? quantized;
    private readonly RowOrder? order;

    /// <summary>Takes <paramref name="values"/> (count x dimensions, row-major) and normalises its rows in place.</summary>
    public ExactIndex(float[] values, int count, int dimensions)
    {
        if (count < 0 || dimensions < 1 || (long)count * dimensions != values.LongLength)
            throw new ArgumentException($"{count} rows of {dimensions} dimensions need {(long)count * dimensions} values, got {values.LongLength}.");
        rows = values;
        Count = count;
        Dimensions = dimensions;
        for (int row = 0; row < count; row++) Normalise(rows.AsSpan(row * dimensions, dimensions));
    }

    private ExactIndex(MappedMatrix mapped, float[] inverseNorms, QuantizedRows quantized, RowOrder? order)
    {
        this.mapped = mapped;
        this.inverseNorms = inverseNorms;
        this.quantized = quantized;
        this.order = order;
        Count = mapped.Rows;
        Dimensions = mapped.Columns;
    }

    /// <summary>An index over a copy of <paramref name="matrix"/>, which stays as it was.</summary>
    public static ExactIndex Of(FeatureMatrix matrix) => new((float[])matrix.Values.Clone(), matrix.Rows, matrix.Columns);

    /// <summary>An index that owns <paramref name="matrix"/>'s values: no copy, the matrix is normalised in place.</summary>
    public static ExactIndex Owning(FeatureMatrix matrix) => new(matrix.Values, matrix.Rows, matrix.Columns);

    /// <summary>
    /// An index over the .npy file at <paramref name="path"/>, mapped when it is a C-order float32 matrix (a run's
    /// embeddings always are), else read into memory. The norms and the 8-bit rows of shortlists are made in one pass
    /// of ordinary file reads, so opening it leaves no float row resident; the file must not change while the index is open.
    /// The 8-bit rows are stored in <paramref name="order"/> when given (filters made by <see cref="ClassRows"/> with the
    /// same order then read them in runs).
    /// </summary>
    public static ExactIndex Open(string path, RowOrder? order = null)
    {
        if (MappedMatrix.TryOpen(path) is not { } matrix) return Owning(Npy.Read(path));
        try
        {
            if (order is not null && order.Count != matrix.Rows)
                throw new InvalidDataException($"The row order covers {order.Count} rows; the embeddings have {matrix.Rows}.");
            var inverseNorms = new float[matrix.Rows];
            var quantized = new QuantizedRows(matrix.Rows, matrix.Columns);
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20, FileOptions.SequentialScan))
            {
                stream.Position = stream.Length - (long)matrix.Rows * matrix.Columns * sizeof(float);
                var row = new float[matrix.Columns];
                for (int r = 0; r < matrix.Rows; r++)
                {
                    stream.ReadExactly(MemoryMarshal.AsBytes(row.AsSpan()));
                    float norm = TensorPrimitives.Norm(row);
                    inverseNorms[r] = norm > 0 ? 1 / norm : 0;
                    quantized.Set(order?.PositionOf[r] ?? r, row, inverseNorms[r]);
                }
            }
            return new ExactIndex(matrix, inverseNorms, quantized, order);
        }
        catch
        {
            matrix.Dispose();
            throw;
        }
    }

    public string Kind => "exact";
    public int Count { get; }
    public int Dimensions { get; }

    /// <summary>The order its 8-bit rows are stored in (<see cref="Open"/>), if any.</summary>
    public RowOrder? ShortlistOrder => order;

    /// <summary>Whether the rows are a mapped file rather than a managed array.</summary>
    public bool IsMapped => mapped is not null;

    /// <summary>
    /// The stored vector of <paramref name="row"/>, in the direction a search scores it (normalised when the index holds
    /// its rows in memory; as the file has it when mapped). Valid while the index is open.
    /// </summary>
    public ReadOnlySpan<float> Row(int row) => mapped is not null ? mapped.Row(row) : rows.AsSpan(row * Dimensions, Dimensions);

    /// <summary>
    /// Bytes it holds in memory, or maps and reads in full when it scans: the float rows (4 a value), the 8-bit rows of
    /// shortlists (1 a value, made when a file is opened or on the first shortlist) and the norms of mapped rows.
    /// </summary>
    public long EstimatedBytes => 5L * Count * Dimensions + 4L * (inverseNorms?.Length ?? 0);

    public VectorPage Search(ReadOnlySpan<float> query, int k, int offset, RowSet? allowed = null)
    {
        var normalised = NormalisedQuery(query);
        CheckFilter(allowed);
        int total = allowed?.Count ?? Count;
        int keep = (int)Math.Min((long)offset + k, total);
        if (keep <= 0 || k <= 0) return new VectorPage([], total);
        return new VectorPage(TopK.Page(ScanParts(new FloatScorer(this, normalised), keep, allowed), k, offset), total);
    }

    /// <summary>
    /// A filtered search that ranks <paramref name="allowed"/>'s rows by their 8-bit copies and rescores the best
    /// <c>4 (offset + k) + 32</c> exactly: a quarter of the bytes <see cref="Search"/> reads, read in runs when the index
    /// was opened in the <see cref="RowOrder"/> the filter was made for. The page is <see cref="Search"/>'s unless the
    /// rounding pushed one of its rows out of the shortlist (recall@10 1.000 against it in `semicmr perf search`), and
    /// its scores are exact.
    /// </summary>
    public VectorPage SearchShortlisted(ReadOnlySpan<float> query, int k, int offset, RowSet allowed)
    {
        var normalised = NormalisedQuery(query);
        CheckFilter(allowed);
        int keep = (int)Math.Min((long)offset + k, allowed.Count);
        if (keep <= 0 || k <= 0) return new VectorPage([], allowed.Count);
        var rows = LazyInitializer.EnsureInitialized(ref quantized, Quantize);
        var query8 = rows.Query(normalised);
        int shortlist = (int)Math.Min(4L * keep + 32, allowed.Count);
        // By position when the filter knows the order the 8-bit rows are in (the rows of its classes lie together), else
        // by row, finding each row's position.
        bool byPosition = order is not null && allowed.Grouped is { } grouped && grouped.Order == order;
        var parts = byPosition ? ScanParts(new QuantizedScorer(rows, query8, null), shortlist, allowed.Grouped!.Value.Positions)
            : ScanParts(new QuantizedScorer(rows, query8, order?.PositionOf), shortlist, allowed);
        var rescored = new TopK(keep);
        foreach (var part in parts)
            foreach (var hit in part.Items)
            {
                int row = byPosition ? order!.RowAt[hit.Row] : hit.Row;
                rescored.Offer(row, Score(normalised, row));
            }
        return new VectorPage(TopK.Page([rescored], k, offset), allowed.Count);
    }

    /// <summary>The cosine of a normalised query to <paramref name="row"/>, exactly as a search scores it.</summary>
    public float Score(float[] normalisedQuery, int row) =>
        inverseNorms is null ? TensorPrimitives.Dot(normalisedQuery, Row(row)) : TensorPrimitives.Dot(normalisedQuery, Row(row)) * inverseNorms[row];

    /// <summary>Unmaps a mapped file (callers make sure no query still reads it); managed rows need nothing.</summary>
    public void Dispose() => mapped?.Dispose();

    internal float[] NormalisedQuery(ReadOnlySpan<float> query)
    {
        if (query.Length != Dimensions)
            throw new ArgumentException($"The query has {query.Length} dimensions; the index has {Dimensions}.", nameof(query));
        var copy = query.ToArray();
        Normalise(copy);
        return copy;
    }

    private void CheckFilter(RowSet? allowed)
    {
        if (allowed is not null && allowed.Capacity != Count)
            throw new ArgumentException($"The filter covers {allowed.Capacity} rows; the index has {Count}.", nameof(allowed));
    }

    /// <summary>The best <paramref name="keep"/> rows of each part of the index (one part a core on large indexes), by <paramref name="scorer"/>.</summary>
    private TopK[] ScanParts<TScorer>(TScorer scorer, int keep, RowSet? allowed) where TScorer : struct, IRowScorer
    {
        int parts = (int)Math.Clamp(Count / MinRowsPerPart, 1, Environment.ProcessorCount);
        int perPart = (Count + parts - 1) / parts + 63 & ~63;
        var best = new TopK[parts];
        if (parts == 1) best[0] = Scan(scorer, 0, Count, keep, allowed);
        else Parallel.For(0, parts, p => best[p] = Scan(scorer, p * perPart, Math.Min(Count, (p + 1) * perPart), keep, allowed));
        return best;
    }

    private static TopK Scan<TScorer>(TScorer scorer, int start, int end, int keep, RowSet? allowed) where TScorer : struct, IRowScorer
    {
        var best = new TopK(keep);
        if (allowed is null)
        {
            for (int row = start; row < end; row++) best.Offer(row, scorer.Score(row));
            return best;
        }
        // A filter's rows lie scattered, each on a page of its own: their addresses are asked for a few rows ahead
        // (a prefetch), so the memory and page-table reads of the next rows overlap the scoring of this one.
        var words = allowed.Words;
        Span<int> batch = stackalloc int[PrefetchBatch];
        int count = 0;
        for (int w = start >> 6; w < words.Length && w << 6 < end; w++)
        {
            for (ulong word = words[w]; word != 0; word &= word - 1)
            {
                int row = (w << 6) + BitOperations.TrailingZeroCount(word);
                if (row >= start && row < end) batch[count++] = row;
            }
            if (count > PrefetchBatch - 64) count = ScoreBatch(scorer, batch, count, best);
        }
        ScoreBatch(scorer, batch, count, best);
        return best;
    }

    private const int PrefetchBatch = 256, PrefetchAhead = 8;

    /// <summary>Scores the rows of <paramref name="batch"/>, each while the one <see cref="PrefetchAhead"/> on is fetched; returns 0 (the batch is empty).</summary>
    private static int ScoreBatch<TScorer>(TScorer scorer, Span<int> batch, int count, TopK best) where TScorer : struct, IRowScorer
    {
        for (int i = 0; i < count; i++)
        {
            if (i + PrefetchAhead < count) scorer.Prefetch(batch[i + PrefetchAhead]);
            best.Offer(batch[i], scorer.Score(batch[i]));
        }
        return 0;
    }

    /// <summary>A hint to bring <paramref name="row"/>'s cache lines in (nothing on hardware without SSE).</summary>
    private void Prefetch(int row) => CacheLines.Prefetch(Row(row));

    /// <summary>The 8-bit rows of an index whose float rows are in memory, in row order (made on its first shortlist).</summary>
    private QuantizedRows Quantize()
    {
        var rows = new QuantizedRows(Count, Dimensions);
        for (int row = 0; row < Count; row++) rows.Set(row, Row(row), inverseNorms?[row] ?? 1);
        return rows;
    }

    /// <summary>How a scan scores a row; a struct per kind, so each scan is compiled with its scoring inlined.</summary>
    private interface IRowScorer
    {
        float Score(int row);
        void Prefetch(int row);
    }

    private readonly struct FloatScorer(ExactIndex index, float[] query) : IRowScorer
    {
        public float Score(int row) => index.Score(query, row);
        public void Prefetch(int row) => index.Prefetch(row);
    }

    /// <summary>Scores the 8-bit rows at the scanned positions, or at the positions of the scanned rows when given them.</summary>
    private readonly struct QuantizedScorer(QuantizedRows rows, sbyte[] query, int[]? positionOf) : IRowScorer
    {
        public float Score(int scanned) => rows.Dot(query, positionOf is null ? scanned : positionOf[scanned]);
        public void Prefetch(int scanned) => rows.Prefetch(positionOf is null ? scanned : positionOf[scanned]);
    }

    private static void Normalise(Span<float> vector)
    {
        float norm = TensorPrimitives.Norm(vector);
        if (norm > 0) TensorPrimitives.Divide(vector, norm, vector);
    }
}
