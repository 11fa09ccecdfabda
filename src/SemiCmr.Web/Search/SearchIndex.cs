using SemiCmr.Ml.Search;

namespace SemiCmr.Web.Search;

/// <summary>What ranking needs of an item: its id (queries by item) and labels (the label filter). Hits read the rest from the database.</summary>
public sealed record IndexedItem(string Id, IReadOnlyList<int> Labels);

/// <summary>
/// A succeeded run's common-space embeddings, one vector index per modality, with each class's rows as a bitset
/// for the label filter. Searched exactly until <see cref="UseApproximate"/> hands it HNSW indexes (large runs);
/// disposing it closes those (a build that finishes after that has its indexes closed at once).
/// </summary>
public sealed class SearchIndex : IRunIndex, IDisposable
{
    private readonly Dictionary<string, int> rowOf;
    private readonly ClassRows classRows;
    private readonly Lock gate = new();
    private volatile Modalities active;
    private bool disposed;

    private sealed record Modalities(IVectorIndex Images, IVectorIndex Texts);

    /// <summary>Takes the two exact indexes over (disposing it closes them); both hold a row per item.</summary>
    public SearchIndex(int datasetId, ExactIndex images, ExactIndex texts, IReadOnlyList<IndexedItem> items)
    {
        DatasetId = datasetId;
        if (images.Count != items.Count || texts.Count != items.Count)
            throw new InvalidDataException($"The run's embeddings ({images.Count}/{texts.Count} rows) do not match its {items.Count} items.");
        ExactImages = images;
        ExactTexts = texts;
        active = new Modalities(ExactImages, ExactTexts);
        int classes = Classes(items);
        classRows = new ClassRows(items.Select(i => i.Labels).ToList(), classes, images.ShortlistOrder);
        rowOf = items.Select((item, row) => (item.Id, row)).ToDictionary(p => p.Id, p => p.row, StringComparer.Ordinal);
        EstimatedBytes = Estimate(images, texts, items, classes);
    }

    /// <summary>
    /// The order to open the run's embeddings in (<see cref="ExactIndex.Open"/>): each class's items together, so a label
    /// filter's 8-bit rows are read in runs.
    /// </summary>
    public static RowOrder ShortlistOrder(IReadOnlyList<IndexedItem> items) => new(items.Select(i => i.Labels).ToList(), Classes(items));

    private static int Classes(IReadOnlyList<IndexedItem> items) =>
        items.Count == 0 ? 0 : items.Max(i => i.Labels.Count == 0 ? -1 : i.Labels.Max()) + 1;

    /// <summary>
    /// The memory it may hold: both embedding matrices, the id lookup and the class bitsets. Mapped embeddings count in
    /// full (an exact scan reads every row); memory-mapped HNSW graphs are not counted: their pages belong to the
    /// operating system's file cache, which reclaims them under pressure.
    /// </summary>
    public long EstimatedBytes { get; }

    public int DatasetId { get; }
    public int Count => ExactImages.Count;
    public ExactIndex ExactImages { get; }
    public ExactIndex ExactTexts { get; }

    /// <summary>True once HNSW indexes answer its searches.</summary>
    public bool IsApproximate => active.Images is not ExactIndex;

    /// <summary>Answers from now on through <paramref name="images"/> and <paramref name="texts"/>, which it then owns.</summary>
    public void UseApproximate(IVectorIndex images, IVectorIndex texts)
    {
        Modalities? replaced = null;
        lock (gate)
        {
            if (!disposed)
            {
                replaced = active;
                active = new Modalities(images, texts);
            }
        }
        if (replaced is null) Close(new Modalities(images, texts)); // evicted during the build: nobody will search it
        else Close(replaced);
    }

    /// <summary>Closes its HNSW and exact indexes; called by the cache once no query holds it.</summary>
    public void Dispose()
    {
        Modalities closed;
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            closed = active;
            active = new Modalities(ExactImages, ExactTexts);
        }
        Close(closed);
        ExactImages.Dispose();
        ExactTexts.Dispose();
    }

    public int? RowOf(string itemId) => rowOf.TryGetValue(itemId, out int row) ? row : null;

    /// <summary>
    /// Ranks the items of the target modality by cosine to the other modality of <paramref name="queryRow"/>
    /// (an image queries texts and vice versa); returns the page [offset, offset + k) and how many candidates there were.
    /// </summary>
    public (IReadOnlyList<(int Row, float Score)> Hits, int Total) Search(int queryRow, bool targetImages, int k, int offset, IReadOnlySet<int>? labelFilter) =>
        Rank((targetImages ? ExactTexts : ExactImages).Row(queryRow), targetImages, k, offset, labelFilter);

    /// <summary>Ranks the items of the target modality by cosine to a query embedded into the run's common space (free text, an image file).</summary>
    public (IReadOnlyList<(int Row, float Score)> Hits, int Total) Search(float[] queryEmbedding, bool targetImages, int k, int offset, IReadOnlySet<int>? labelFilter) =>
        Rank(queryEmbedding, targetImages, k, offset, labelFilter);

    Task<int?> IRunIndex.RowOf(string itemId, CancellationToken cancellationToken) => Task.FromResult(RowOf(itemId));

    Task<(IReadOnlyList<(int Row, float Score)> Hits, int Total)> IRunIndex.Search(int queryRow, bool targetImages, int k, int offset,
        IReadOnlySet<int>? labelFilter, CancellationToken cancellationToken) => Task.FromResult(Search(queryRow, targetImages, k, offset, labelFilter));

    Task<(IReadOnlyList<(int Row, float Score)> Hits, int Total)> IRunIndex.Search(float[] queryEmbedding, bool targetImages, int k, int offset,
        IReadOnlySet<int>? labelFilter, CancellationToken cancellationToken) => Task.FromResult(Search(queryEmbedding, targetImages, k, offset, labelFilter));

    /// <summary>Disposes the approximate indexes among them (the exact ones are the index's own, closed with it).</summary>
    private static void Close(Modalities modalities)
    {
        if (modalities.Images is not ExactIndex) modalities.Images.Dispose();
        if (modalities.Texts is not ExactIndex) modalities.Texts.Dispose();
    }

    /// <summary>
    /// Bytes of the exact indexes (<see cref="ExactIndex.EstimatedBytes"/>), each id (a string and a dictionary entry),
    /// each class's two bitsets (rows and positions) and the row order (two ints a row).
    /// </summary>
    private static long Estimate(ExactIndex images, ExactIndex texts, IReadOnlyList<IndexedItem> items, int classes)
    {
        const int StringHeader = 24, DictionaryEntry = 28, BitsetHeader = 40;
        long vectors = images.EstimatedBytes + texts.EstimatedBytes;
        long ids = items.Sum(i => StringHeader + 2L * i.Id.Length + DictionaryEntry);
        long bitsets = 2L * classes * (BitsetHeader + 8L * ((items.Count + 63) / 64));
        return vectors + ids + bitsets + 8L * items.Count;
    }

    private (IReadOnlyList<(int Row, float Score)> Hits, int Total) Rank(ReadOnlySpan<float> query, bool targetImages, int k, int offset, IReadOnlySet<int>? labelFilter)
    {
        var modalities = active;
        var allowed = labelFilter is null ? null : classRows.Any(labelFilter);
        var page = (targetImages ? modalities.Images : modalities.Texts).Search(query, k, offset, allowed);
        return (page.Hits.Select(h => (h.Row, h.Score)).ToList(), page.Total);
    }
}
