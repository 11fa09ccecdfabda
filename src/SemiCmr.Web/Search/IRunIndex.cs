namespace SemiCmr.Web.Search;

/// <summary>
/// What <see cref="SearchService"/> ranks a run through, whichever engine holds its vectors: the in-process
/// <see cref="SearchIndex"/> (SQLite: the run folder's embeddings, exact or USearch HNSW) or <see cref="PgvectorRunIndex"/>
/// (PostgreSQL: pgvector). Both rank by cosine, best first, equal scores by lower row, among the rows carrying any of the
/// label filter's classes, and say how many candidates there were.
/// </summary>
public interface IRunIndex
{
    /// <summary>The row of the run's dataset item <paramref name="itemId"/>, or null when it has none.</summary>
    Task<int?> RowOf(string itemId, CancellationToken cancellationToken);

    /// <summary>Ranks the target modality by the other modality of <paramref name="queryRow"/> (an image queries texts and vice versa).</summary>
    Task<(IReadOnlyList<(int Row, float Score)> Hits, int Total)> Search(int queryRow, bool targetImages, int k, int offset, IReadOnlySet<int>? labelFilter,
        CancellationToken cancellationToken);

    /// <summary>Ranks the target modality by a query already embedded into the run's common space (free text, an image file).</summary>
    Task<(IReadOnlyList<(int Row, float Score)> Hits, int Total)> Search(float[] queryEmbedding, bool targetImages, int k, int offset, IReadOnlySet<int>? labelFilter,
        CancellationToken cancellationToken);
}
