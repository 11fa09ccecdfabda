namespace SemiCmr.Ml.Search;

/// <summary>One hit: the candidate's row and its cosine to the query.</summary>
public readonly record struct VectorHit(int Row, float Score);

/// <summary>A page of hits, best first (equal scores by lower row, so pages are stable), and how many candidates there were.</summary>
public sealed record VectorPage(IReadOnlyList<VectorHit> Hits, int Total);

/// <summary>
/// Cosine search over one set of vectors (one modality of a run). <see cref="ExactIndex"/> scores every candidate;
/// <see cref="HnswIndex"/> walks a graph and is answered in well under a millisecond at a million rows.
/// </summary>
public interface IVectorIndex : IDisposable
{
    /// <summary>"exact" or "hnsw".</summary>
    string Kind { get; }

    /// <summary>How many vectors (rows) the index holds.</summary>
    int Count { get; }

    int Dimensions { get; }

    /// <summary>
    /// The page [offset, offset + k) of the rows ranked by cosine to <paramref name="query"/> (any length: it is
    /// normalised here), among the rows of <paramref name="allowed"/> when given. Total is how many rows could match.
    /// </summary>
    VectorPage Search(ReadOnlySpan<float> query, int k, int offset, RowSet? allowed = null);
}
