namespace SemiCmr.Ml.Evaluation;

/// <summary>What one query contributes: AP over the whole ranking and the top R, hits in each top K, 11-point PR.</summary>
internal sealed record QueryOutcome(double AveragePrecision, double AveragePrecisionAtR, int[] HitsAtK, double[] InterpolatedPrecision);

/// <summary>
/// Ranks a database for each query by cosine similarity (descending, ties by database index) and
/// scores the ranking. Queries run in parallel; each outcome lands at its query's index, so the
/// averages taken afterwards do not depend on thread timing.
/// </summary>
internal sealed class RankingEngine
{
    public const int RecallLevels = 11;

    private readonly CosineRows _database;
    private readonly Dictionary<int, int[]> _itemsByClass;
    private readonly int _rankDepthForR;
    private readonly int[] _cappedKs;

    public RankingEngine(CosineRows database, IReadOnlyList<IReadOnlyList<int>> databaseLabels, EvaluationOptions options)
    {
        if (databaseLabels.Count != database.Rows)
            throw new ArgumentException($"The database has {database.Rows} rows but {databaseLabels.Count} label lists.", nameof(databaseLabels));
        _database = database;
        // Unlabeled database items appear in no list, so they are ranked but never relevant.
        _itemsByClass = Enumerable.Range(0, databaseLabels.Count)
            .SelectMany(item => databaseLabels[item].Distinct().Select(label => (label, item)))
            .GroupBy(pair => pair.label)
            .ToDictionary(group => group.Key, group => group.Select(pair => pair.item).ToArray());
        _rankDepthForR = options.R == 0 ? database.Rows : Math.Min(options.R, database.Rows);
        _cappedKs = options.EffectiveKs.Select(k => Math.Min(k, database.Rows)).ToArray();
    }

    /// <summary>Cut-offs actually used for precision@K (K capped at the database size), in the options' order.</summary>
    public IReadOnlyList<int> CappedKs => _cappedKs;

    /// <summary>One outcome per query; null for a query without labels or without any relevant database item.</summary>
    public QueryOutcome?[] RankAll(CosineRows queries, IReadOnlyList<IReadOnlyList<int>> queryLabels)
    {
        if (queryLabels.Count != queries.Rows)
            throw new ArgumentException($"The queries have {queries.Rows} rows but {queryLabels.Count} label lists.", nameof(queryLabels));
        if (queries.Columns != _database.Columns)
            throw new ArgumentException($"Queries have {queries.Columns} columns but the database has {_database.Columns}.", nameof(queries));

        var outcomes = new QueryOutcome?[queries.Rows];
        int blocks = (queries.Rows + CosineRows.BlockSize - 1) / CosineRows.BlockSize;
        Parallel.For(0, blocks,
            () => new Workspace(_database.Rows),
            (block, _, workspace) =>
            {
                int first = block * CosineRows.BlockSize;
                _database.ScoreBlock(queries, first, workspace.Scores);
                for (int slot = 0; slot < CosineRows.BlockSize && first + slot < queries.Rows; slot++)
                    outcomes[first + slot] = RankOne(workspace.Scores[slot], queryLabels[first + slot], workspace);
                return workspace;
            },
            _ => { });
        return outcomes;
    }

    private QueryOutcome? RankOne(float[] scores, IReadOnlyList<int> labels, Workspace workspace)
    {
        int relevantCount = workspace.MarkRelevant(labels, _itemsByClass);
        try
        {
            return relevantCount == 0 ? null : Score(workspace.HitRanks(scores));
        }
        finally
        {
            workspace.ClearRelevant();
        }
    }

    private QueryOutcome Score(ReadOnlySpan<int> hitRanks)
    {
        int m = hitRanks.Length;
        var precisionAtHit = new double[m];
        double sumAll = 0, sumAtR = 0;
        int hitsAtR = 0;
        for (int h = 0; h < m; h++)
        {
            precisionAtHit[h] = (h + 1) / (double)hitRanks[h];
            sumAll += precisionAtHit[h];
            if (hitRanks[h] <= _rankDepthForR) { sumAtR += precisionAtHit[h]; hitsAtR++; }
        }

        var hitsAtK = new int[_cappedKs.Length];
        for (int i = 0; i < _cappedKs.Length; i++)
        {
            int count = 0;
            while (count < m && hitRanks[count] <= _cappedKs[i]) count++;
            hitsAtK[i] = count;
        }

        // Interpolated precision at recall r = the best precision at any recall >= r; that maximum is
        // reached at a hit, so a suffix maximum over the hits gives every level.
        for (int h = m - 2; h >= 0; h--) precisionAtHit[h] = Math.Max(precisionAtHit[h], precisionAtHit[h + 1]);
        var interpolated = new double[RecallLevels];
        for (int level = 0; level < RecallLevels; level++)
        {
            // The first hit whose recall (h / m) reaches level / 10, computed in integers to avoid 0.3 != 3 * 0.1.
            int firstHit = Math.Max(1, (level * m + RecallLevels - 2) / (RecallLevels - 1));
            interpolated[level] = precisionAtHit[firstHit - 1];
        }

        return new QueryOutcome(sumAll / m, hitsAtR == 0 ? 0 : sumAtR / hitsAtR, hitsAtK, interpolated);
    }

    /// <summary>
    /// One sortable integer per database item: the high half orders scores descending, the low half is
    /// the index, so an ascending sort gives the ranking with ties broken by index and no comparer.
    /// </summary>
    internal static ulong RankKey(float score, int index)
    {
        int bits = BitConverter.SingleToInt32Bits(score + 0f); // + 0f turns -0 into +0
        uint ascending = bits < 0 ? ~(uint)bits : (uint)bits | 0x8000_0000u;
        return ((ulong)~ascending << 32) | (uint)index;
    }

    private sealed class Workspace(int size)
    {
        private readonly List<int> _marked = [];
        private readonly bool[] _relevant = new bool[size];
        private readonly ulong[] _relevantKeys = new ulong[size];
        private readonly int[] _irrelevantBefore = new int[size + 1];
        private readonly int[] _hitRanks = new int[size];

        public float[][] Scores { get; } = Enumerable.Range(0, CosineRows.BlockSize).Select(_ => new float[size]).ToArray();

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

        /// <summary>
        /// 1-based ranks of the marked relevant items, best first. Only the ranks of relevant items
        /// matter, so instead of sorting the whole database this sorts the relevant keys and counts how
        /// many irrelevant keys fall before each of them.
        /// </summary>
        public ReadOnlySpan<int> HitRanks(float[] scores)
        {
            int m = _marked.Count;
            for (int h = 0; h < m; h++) _relevantKeys[h] = RankKey(scores[_marked[h]], _marked[h]);
            var keys = _relevantKeys.AsSpan(0, m);
            keys.Sort();
            Array.Clear(_irrelevantBefore, 0, m + 1);
            for (int j = 0; j < scores.Length; j++)
            {
                if (!_relevant[j]) _irrelevantBefore[LowerBound(keys, RankKey(scores[j], j))]++;
            }
            for (int h = 0, before = 0; h < m; h++)
            {
                before += _irrelevantBefore[h];
                _hitRanks[h] = h + 1 + before;
            }
            return _hitRanks.AsSpan(0, m);
        }

        public void ClearRelevant()
        {
            foreach (var item in _marked) _relevant[item] = false;
            _marked.Clear();
        }

        /// <summary>How many sorted keys are smaller than the key (keys are unique: the index is part of them).</summary>
        private static int LowerBound(ReadOnlySpan<ulong> sorted, ulong key)
        {
            // An absent key comes back as the complement of the first larger key's position.
            int found = sorted.BinarySearch(key);
            return found < 0 ? ~found : found;
        }
    }
}
