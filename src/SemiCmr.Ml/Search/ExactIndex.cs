using System.Numerics;
using System.Numerics.Tensors;
using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Search;

/// <summary>
/// Every candidate scored: normalised float32 rows in one contiguous array, dot products by
/// <see cref="TensorPrimitives"/> (SIMD), rows split across cores for large indexes, a bounded heap per part and one
/// merge. A label filter's bitset is tested before a row is scored, so filtered rows cost nothing.
/// </summary>
public sealed class ExactIndex : IVectorIndex
{
    // Below this many rows per part, handing work to another core costs more than it saves. A multiple of 64 keeps
    // each part's rows on whole words of a filter's bitset.
    private const int MinRowsPerPart = 32 * 1024;

    private readonly float[] rows;

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

    /// <summary>An index over a copy of <paramref name="matrix"/>, which stays as it was.</summary>
    public static ExactIndex Of(FeatureMatrix matrix) => new((float[])matrix.Values.Clone(), matrix.Rows, matrix.Columns);

    /// <summary>An index that owns <paramref name="matrix"/>'s values: no copy, the matrix is normalised in place.</summary>
    public static ExactIndex Owning(FeatureMatrix matrix) => new(matrix.Values, matrix.Rows, matrix.Columns);

    public string Kind => "exact";
    public int Count { get; }
    public int Dimensions { get; }

    /// <summary>The normalised vector of <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> Row(int row) => rows.AsSpan(row * Dimensions, Dimensions);

    public VectorPage Search(ReadOnlySpan<float> query, int k, int offset, RowSet? allowed = null)
    {
        var normalised = NormalisedQuery(query);
        if (allowed is not null && allowed.Capacity != Count)
            throw new ArgumentException($"The filter covers {allowed.Capacity} rows; the index has {Count}.", nameof(allowed));
        int total = allowed?.Count ?? Count;
        int keep = (int)Math.Min((long)offset + k, total);
        if (keep <= 0 || k <= 0) return new VectorPage([], total);

        int parts = (int)Math.Clamp(Count / MinRowsPerPart, 1, Environment.ProcessorCount);
        int perPart = (Count + parts - 1) / parts + 63 & ~63;
        var best = new TopK[parts];
        if (parts == 1) best[0] = Scan(normalised, 0, Count, keep, allowed);
        else Parallel.For(0, parts, p => best[p] = Scan(normalised, p * perPart, Math.Min(Count, (p + 1) * perPart), keep, allowed));
        return new VectorPage(TopK.Page(best, k, offset), total);
    }

    /// <summary>The cosine of a normalised query to <paramref name="row"/>, exactly as a search scores it.</summary>
    public float Score(float[] normalisedQuery, int row) => TensorPrimitives.Dot(normalisedQuery, Row(row));

    /// <summary>Nothing to release: the rows are a managed array.</summary>
    public void Dispose() { }

    internal float[] NormalisedQuery(ReadOnlySpan<float> query)
    {
        if (query.Length != Dimensions)
            throw new ArgumentException($"The query has {query.Length} dimensions; the index has {Dimensions}.", nameof(query));
        var copy = query.ToArray();
        Normalise(copy);
        return copy;
    }

    private TopK Scan(float[] query, int start, int end, int keep, RowSet? allowed)
    {
        var best = new TopK(keep);
        if (allowed is null)
        {
            for (int row = start; row < end; row++) best.Offer(row, Score(query, row));
            return best;
        }
        var words = allowed.Words;
        for (int w = start >> 6; w < words.Length && w << 6 < end; w++)
            for (ulong word = words[w]; word != 0; word &= word - 1)
            {
                int row = (w << 6) + BitOperations.TrailingZeroCount(word);
                if (row >= start && row < end) best.Offer(row, Score(query, row));
            }
        return best;
    }

    private static void Normalise(Span<float> vector)
    {
        float norm = TensorPrimitives.Norm(vector);
        if (norm > 0) TensorPrimitives.Divide(vector, norm, vector);
    }
}
