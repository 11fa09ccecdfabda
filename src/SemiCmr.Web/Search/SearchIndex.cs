using SemiCmr.Ml.Data;

namespace SemiCmr.Web.Search;

/// <summary>What ranking needs of an item: its id (queries by item) and labels (the label filter). Hits read the rest from the database.</summary>
public sealed record IndexedItem(string Id, IReadOnlyList<int> Labels);

/// <summary>
/// A succeeded run's common-space embeddings, L2-normalised so that a dot product is the cosine, with the
/// items they belong to. Exact search: every candidate is scored; fine up to a few hundred thousand items.
/// </summary>
public sealed class SearchIndex
{
    private readonly FeatureMatrix images;
    private readonly FeatureMatrix texts;
    private readonly Dictionary<string, int> rowOf;

    public SearchIndex(int datasetId, FeatureMatrix imageEmbeddings, FeatureMatrix textEmbeddings, IReadOnlyList<IndexedItem> items)
    {
        DatasetId = datasetId;
        if (imageEmbeddings.Rows != items.Count || textEmbeddings.Rows != items.Count)
            throw new InvalidDataException($"The run's embeddings ({imageEmbeddings.Rows}/{textEmbeddings.Rows} rows) do not match its {items.Count} items.");
        images = Normalised(imageEmbeddings);
        texts = Normalised(textEmbeddings);
        Items = items;
        rowOf = items.Select((item, row) => (item.Id, row)).ToDictionary(p => p.Id, p => p.row, StringComparer.Ordinal);
    }

    public int DatasetId { get; }
    public IReadOnlyList<IndexedItem> Items { get; }

    public int? RowOf(string itemId) => rowOf.TryGetValue(itemId, out int row) ? row : null;

    /// <summary>
    /// Ranks the items of the target modality by cosine to the other modality of <paramref name="queryRow"/>
    /// (an image queries texts and vice versa); returns the page [offset, offset + k) and how many candidates there were.
    /// </summary>
    public (IReadOnlyList<(int Row, float Score)> Hits, int Total) Search(int queryRow, bool targetImages, int k, int offset, IReadOnlySet<int>? labelFilter) =>
        Rank((targetImages ? texts : images).Row(queryRow), targetImages, k, offset, labelFilter);

    /// <summary>Ranks the items of the target modality by cosine to a query embedded into the run's common space (free text, an image file).</summary>
    public (IReadOnlyList<(int Row, float Score)> Hits, int Total) Search(float[] queryEmbedding, bool targetImages, int k, int offset, IReadOnlySet<int>? labelFilter)
    {
        if (queryEmbedding.Length != images.Columns)
            throw new ArgumentException($"The query has {queryEmbedding.Length} dimensions; the index has {images.Columns}.");
        var query = (float[])queryEmbedding.Clone();
        float norm = MathF.Sqrt(Dot(query, query));
        if (norm > 0)
            for (int i = 0; i < query.Length; i++) query[i] /= norm;
        return Rank(query, targetImages, k, offset, labelFilter);
    }

    private (IReadOnlyList<(int Row, float Score)> Hits, int Total) Rank(ReadOnlySpan<float> query, bool targetImages, int k, int offset, IReadOnlySet<int>? labelFilter)
    {
        var candidates = targetImages ? images : texts;
        int keep = offset + k, total = 0;
        // Min-heap of the best `keep` so far; ties broken by row so pages are stable.
        var best = new PriorityQueue<(int Row, float Score), (float Score, int NegRow)>();
        for (int row = 0; row < candidates.Rows; row++)
        {
            if (labelFilter is not null && !Items[row].Labels.Any(labelFilter.Contains)) continue;
            total++;
            float score = Dot(query, candidates.Row(row));
            if (best.Count < keep) best.Enqueue((row, score), (score, -row));
            else if (best.TryPeek(out _, out var worst) && (score > worst.Score || (score == worst.Score && -row > worst.NegRow)))
                best.EnqueueDequeue((row, score), (score, -row));
        }
        var ranked = new List<(int Row, float Score)>(best.Count);
        while (best.TryDequeue(out var hit, out _)) ranked.Add(hit);
        ranked.Reverse();
        return (ranked.Skip(offset).ToList(), total);
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static FeatureMatrix Normalised(FeatureMatrix matrix)
    {
        var values = (float[])matrix.Values.Clone();
        for (int row = 0; row < matrix.Rows; row++)
        {
            var span = values.AsSpan(row * matrix.Columns, matrix.Columns);
            float norm = MathF.Sqrt(Dot(span, span));
            if (norm > 0)
                for (int i = 0; i < span.Length; i++) span[i] /= norm;
        }
        return new FeatureMatrix(values, matrix.Rows, matrix.Columns);
    }
}
