namespace SemiCmr.Ml.Search;

/// <summary>
/// The best <c>capacity</c> hits seen so far, in a bounded min-heap whose root is the worst kept hit: lower score,
/// or the same score and a higher row. Ties go to the lower row, so a page never depends on scan order.
/// </summary>
internal sealed class TopK(int capacity)
{
    private readonly VectorHit[] heap = new VectorHit[capacity];

    public int Count { get; private set; }

    public void Offer(int row, float score)
    {
        var hit = new VectorHit(row, score);
        if (Count < heap.Length)
        {
            heap[Count] = hit;
            SiftUp(Count++);
        }
        else if (Count > 0 && Worse(heap[0], hit))
        {
            heap[0] = hit;
            SiftDown(0);
        }
    }

    public ReadOnlySpan<VectorHit> Items => heap.AsSpan(0, Count);

    /// <summary>Best first.</summary>
    public static int Compare(VectorHit a, VectorHit b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Row.CompareTo(b.Row);

    /// <summary>The page [offset, offset + k) of the hits of all <paramref name="parts"/>, best first.</summary>
    public static List<VectorHit> Page(IEnumerable<TopK> parts, int k, int offset)
    {
        var all = new List<VectorHit>();
        foreach (var part in parts) all.AddRange(part.Items);
        all.Sort(Compare);
        return all.Count <= offset ? [] : all.GetRange(offset, Math.Min(k, all.Count - offset));
    }

    private static bool Worse(VectorHit a, VectorHit b) => a.Score < b.Score || (a.Score == b.Score && a.Row > b.Row);

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (!Worse(heap[i], heap[parent])) return;
            (heap[i], heap[parent]) = (heap[parent], heap[i]);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            int left = 2 * i + 1, worst = i;
            if (left < Count && Worse(heap[left], heap[worst])) worst = left;
            if (left + 1 < Count && Worse(heap[left + 1], heap[worst])) worst = left + 1;
            if (worst == i) return;
            (heap[i], heap[worst]) = (heap[worst], heap[i]);
            i = worst;
        }
    }
}
