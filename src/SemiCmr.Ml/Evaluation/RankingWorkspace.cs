namespace SemiCmr.Ml.Evaluation;

/// <summary>
/// One worker's buffers for <see cref="RankingEngine"/>: a chunk's scores and, for the query being ranked,
/// its relevant items and their ranks. Everything is sized by the database, never by the number of queries.
/// </summary>
internal sealed class RankingWorkspace(int size, int chunkSize)
{
    private const int BucketsPerKey = 4;

    /// <summary>Longer buckets are searched by bisection: a run of tied scores must not make a query quadratic.</summary>
    private const int LinearScanLimit = 16;

    private readonly List<int> _marked = [];
    private readonly bool[] _relevant = new bool[size];
    private readonly ulong[] _relevantKeys = new ulong[size + 2];
    private readonly int[] _bucketStart = new int[BucketsPerKey * size + 1];
    private readonly int[] _bucketOf = new int[size];
    private readonly int[] _cursor = new int[BucketsPerKey * size];
    private readonly int[] _irrelevantBefore = new int[size + 1];
    private readonly int[] _hitRanks = new int[size];

    public float[][] Scores { get; } = Enumerable.Range(0, chunkSize).Select(_ => new float[size]).ToArray();

    /// <summary>Scratch for the precision at each hit of the query being scored.</summary>
    public double[] PrecisionAtHit { get; } = new double[size];

    public int MarkRelevant(IReadOnlyList<int> labels, Dictionary<int, int[]> itemsByClass)
    {
        foreach (var label in labels)
        {
            if (!itemsByClass.TryGetValue(label, out var items)) continue;
            foreach (var item in items)
            {
                if (_relevant[item]) continue;
                _relevant[item] = true;
                _marked.Add(item);
            }
        }
        return _marked.Count;
    }

    public void ClearRelevant()
    {
        foreach (var item in _marked) _relevant[item] = false;
        _marked.Clear();
    }

    /// <summary>
    /// 1-based ranks of the marked relevant items, best first. Only the ranks of relevant items matter, so
    /// instead of sorting the whole database this sorts the relevant keys and counts how many keys fall
    /// before each of them. The relevant keys are bucketed by score (four buckets per key, evenly over the
    /// relevant scores' range), so most items land in an empty bucket or one with a single key and find
    /// their place without a search.
    /// </summary>
    public ReadOnlySpan<int> HitRanks(float[] scores)
    {
        int m = _marked.Count;
        float high = float.NegativeInfinity, low = float.PositiveInfinity;
        foreach (int item in _marked)
        {
            float score = scores[item];
            if (!float.IsFinite(score)) return HitRanksByBisection(scores);
            high = Math.Max(high, score);
            low = Math.Min(low, score);
        }
        var buckets = new ScoreBuckets(high, low, BucketsPerKey * m);
        SortIntoBuckets(scores, buckets);
        ReadOnlySpan<ulong> keys = _relevantKeys; // past m: padding the comparisons below may read but never count
        var starts = _bucketStart;
        var before = _irrelevantBefore;

        // Every item is placed, relevant ones too: each finds its own key, so it adds exactly one to its own
        // slot, which Ranks takes off again. That keeps a branch on relevance out of this loop.
        Array.Clear(before, 0, m + 1);
        for (int j = 0; j < scores.Length; j++)
        {
            float score = scores[j];
            ulong key = RankingEngine.RankKey(score, j);
            int position;
            if (float.IsNaN(score)) position = LowerBound(keys[..m], key); // NaN ranks first
            else
            {
                int bucket = buckets.Of(score);
                int start = starts[bucket], length = starts[bucket + 1] - start;
                // Most buckets hold at most two keys: compare with two without branching, keep what the bucket holds.
                int first = keys[start] < key ? 1 : 0, second = keys[start + 1] < key ? 1 : 0;
                position = start + (first & (length > 0 ? 1 : 0)) + (second & (length > 1 ? 1 : 0));
                if (length > 2) position = Place(keys, start, start + length, key);
            }
            before[position]++;
        }
        for (int h = 0; h < m; h++) before[h]--;
        return Ranks(m);
    }

    /// <summary>
    /// Sorts the relevant keys: a counting sort by bucket, after which only keys within a bucket can be out of
    /// order, so one insertion-sort pass finishes the job (or, when some bucket is long, a sort per bucket).
    /// </summary>
    private void SortIntoBuckets(float[] scores, ScoreBuckets buckets)
    {
        int m = _marked.Count;
        var starts = _bucketStart;
        Array.Clear(starts, 0, buckets.Count + 1);
        for (int h = 0; h < m; h++)
        {
            _bucketOf[h] = buckets.Of(scores[_marked[h]]);
            starts[_bucketOf[h] + 1]++;
        }
        int longest = 0;
        for (int b = 0; b < buckets.Count; b++)
        {
            longest = Math.Max(longest, starts[b + 1]);
            starts[b + 1] += starts[b];
        }
        starts.AsSpan(0, buckets.Count).CopyTo(_cursor);
        var keys = _relevantKeys;
        for (int h = 0; h < m; h++)
        {
            int item = _marked[h];
            keys[_cursor[_bucketOf[h]]++] = RankingEngine.RankKey(scores[item], item);
        }
        if (longest <= LinearScanLimit)
        {
            for (int i = 1; i < m; i++)
            {
                ulong key = keys[i];
                int k = i - 1;
                for (; k >= 0 && keys[k] > key; k--) keys[k + 1] = keys[k];
                keys[k + 1] = key;
            }
        }
        else
        {
            for (int b = 0; b < buckets.Count; b++)
            {
                int length = starts[b + 1] - starts[b];
                if (length > 1) keys.AsSpan(starts[b], length).Sort();
            }
        }
    }

    /// <summary>How many sorted keys are smaller than the key, knowing it belongs in [start, end).</summary>
    private static int Place(ReadOnlySpan<ulong> keys, int start, int end, ulong key)
    {
        if (end - start > LinearScanLimit) return start + LowerBound(keys[start..end], key);
        int position = start;
        while (position < end && keys[position] < key) position++;
        return position;
    }

    private ReadOnlySpan<int> HitRanksByBisection(float[] scores)
    {
        int m = _marked.Count;
        for (int h = 0; h < m; h++) _relevantKeys[h] = RankingEngine.RankKey(scores[_marked[h]], _marked[h]);
        var keys = _relevantKeys.AsSpan(0, m);
        keys.Sort();
        Array.Clear(_irrelevantBefore, 0, m + 1);
        for (int j = 0; j < scores.Length; j++)
        {
            if (!_relevant[j]) _irrelevantBefore[LowerBound(keys, RankingEngine.RankKey(scores[j], j))]++;
        }
        return Ranks(m);
    }

    private ReadOnlySpan<int> Ranks(int m)
    {
        for (int h = 0, before = 0; h < m; h++)
        {
            before += _irrelevantBefore[h];
            _hitRanks[h] = h + 1 + before;
        }
        return _hitRanks.AsSpan(0, m);
    }

    /// <summary>How many sorted keys are smaller than the key (keys are unique: the index is part of them).</summary>
    private static int LowerBound(ReadOnlySpan<ulong> sorted, ulong key)
    {
        // An absent key comes back as the complement of the first larger key's position.
        int found = sorted.BinarySearch(key);
        return found < 0 ? ~found : found;
    }
}
