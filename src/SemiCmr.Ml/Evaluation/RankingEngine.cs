namespace SemiCmr.Ml.Evaluation;

/// <summary>What one query contributes: AP over the whole ranking and the top R, hits in each top K, 11-point PR.</summary>
internal sealed record QueryOutcome(double AveragePrecision, double AveragePrecisionAtR, int[] HitsAtK, double[] InterpolatedPrecision);

/// <summary>
/// Ranks a database for each query by cosine similarity (descending, ties by database index) and
/// scores the ranking. Query chunks run in parallel; each outcome lands at its query's index, so the
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

    /// <summary>Queries scored together (see <see cref="CosineRows.ScoreChunk"/>); a multiple of 4.</summary>
    public const int ChunkSize = 32;

    /// <summary>
    /// One outcome per query row in <paramref name="rows"/>, at the same index; null for a query without labels
    /// or without any relevant database item. Each worker holds one chunk's scores (ChunkSize x database rows)
    /// and a few arrays of the database's length, so memory does not grow with the number of queries.
    /// </summary>
    public QueryOutcome?[] RankAll(CosineRows queries, IReadOnlyList<IReadOnlyList<int>> queryLabels, int[] rows)
    {
        if (queryLabels.Count != queries.Rows)
            throw new ArgumentException($"The queries have {queries.Rows} rows but {queryLabels.Count} label lists.", nameof(queryLabels));
        if (queries.Columns != _database.Columns)
            throw new ArgumentException($"Queries have {queries.Columns} columns but the database has {_database.Columns}.", nameof(queries));

        var outcomes = new QueryOutcome?[rows.Length];
        int chunks = (rows.Length + ChunkSize - 1) / ChunkSize;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            () => new RankingWorkspace(_database.Rows, ChunkSize),
            (chunk, _, workspace) =>
            {
                int first = chunk * ChunkSize, count = Math.Min(ChunkSize, rows.Length - first);
                _database.ScoreChunk(queries, rows.AsSpan(first, count), workspace.Scores);
                for (int slot = 0; slot < count; slot++)
                    outcomes[first + slot] = RankOne(workspace.Scores[slot], queryLabels[rows[first + slot]], workspace);
                return workspace;
            },
            _ => { });
        return outcomes;
    }

    private QueryOutcome? RankOne(float[] scores, IReadOnlyList<int> labels, RankingWorkspace workspace)
    {
        int relevantCount = workspace.MarkRelevant(labels, _itemsByClass);
        try
        {
            return relevantCount == 0 ? null : Score(workspace.HitRanks(scores), workspace.PrecisionAtHit);
        }
        finally
        {
            workspace.ClearRelevant();
        }
    }

    private QueryOutcome Score(ReadOnlySpan<int> hitRanks, double[] precisionAtHit)
    {
        int m = hitRanks.Length;
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
}
