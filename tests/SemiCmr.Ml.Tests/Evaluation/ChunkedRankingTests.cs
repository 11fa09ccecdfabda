using SemiCmr.Ml.Data;
using SemiCmr.Ml.Evaluation;

namespace SemiCmr.Ml.Tests.Evaluation;

public sealed class ChunkedRankingTests
{
    // Coordinates from {-1, 0, 1} in 3-d: 27 distinct vectors (one of them zero) among 200 items, so most
    // scores tie with many others and ties decide a large part of every ranking.
    private static FeatureMatrix TiedMatrix(Random random, int rows) =>
        new(Enumerable.Range(0, rows * 3).Select(_ => (float)random.Next(-1, 2)).ToArray(), rows, 3);

    private static IReadOnlyList<IReadOnlyList<int>> MultiLabels(Random random, int rows) =>
        Enumerable.Range(0, rows)
            .Select(_ => (IReadOnlyList<int>)Enumerable.Range(0, 4).Where(_ => random.NextDouble() < 0.35).ToArray())
            .ToArray();

    private static readonly EvaluationOptions Options = new(R: 20, Ks: [1, 5, 40]);

    [Fact]
    public void RankingQueriesInChunksGivesExactlyTheFiguresOfRankingThemOneAtATime()
    {
        var random = new Random(3);
        const int queryCount = 150; // several chunks, the last one partial
        var queries = TiedMatrix(random, queryCount);
        var database = TiedMatrix(random, 200);
        var queryLabels = MultiLabels(random, queryCount);
        var databaseLabels = MultiLabels(random, 200);

        var chunked = RetrievalMetrics.Evaluate(queries, queryLabels, database, databaseLabels, Options);
        var single = Enumerable.Range(0, queryCount)
            .Select(q => RetrievalMetrics.Evaluate(queries.SelectRows([q]), [queryLabels[q]], database, databaseLabels, Options))
            .Where(report => report.Queries == 1)
            .ToList();

        Assert.True(queryCount > RankingEngine.ChunkSize && queryCount % RankingEngine.ChunkSize != 0);
        Assert.Equal(single.Count, chunked.Queries);
        Assert.Equal(single.Sum(r => r.MapAll) / single.Count, chunked.MapAll);
        Assert.Equal(single.Sum(r => r.MapAtR) / single.Count, chunked.MapAtR);
        foreach (var k in Options.EffectiveKs)
            Assert.Equal(single.Sum(r => r.PrecisionAtK[k]) / single.Count, chunked.PrecisionAtK[k]);
        for (int level = 0; level < RankingEngine.RecallLevels; level++)
            Assert.Equal(single.Sum(r => r.PrecisionRecall[level].Precision) / single.Count, chunked.PrecisionRecall[level].Precision);
    }

    [Fact]
    public void AveragePrecisionAmongTiesIsExactlyThatOfSortingTheWholeDatabase()
    {
        var random = new Random(5);
        var queries = TiedMatrix(random, 40);
        var database = TiedMatrix(random, 200);
        var queryLabels = MultiLabels(random, 40);
        var databaseLabels = MultiLabels(random, 200);
        var scores = Enumerable.Range(0, RankingEngine.ChunkSize).Select(_ => new float[200]).ToArray();
        var databaseRows = new CosineRows(database);
        var queryRows = new CosineRows(queries);

        for (int q = 0; q < 40; q++)
        {
            var report = RetrievalMetrics.Evaluate(queries.SelectRows([q]), [queryLabels[q]], database, databaseLabels);
            databaseRows.ScoreChunk(queryRows, [q], scores);
            var relevant = Enumerable.Range(0, 200).Select(j => databaseLabels[j].Intersect(queryLabels[q]).Any()).ToArray();
            if (queryLabels[q].Count == 0 || !relevant.Any(r => r))
            {
                Assert.Equal(0, report.Queries);
                continue;
            }
            // The textbook way: sort every item by (score descending, index ascending) and walk the ranking.
            var ranking = Enumerable.Range(0, 200).OrderBy(j => RankingEngine.RankKey(scores[0][j], j)).ToArray();
            double sum = 0;
            int hits = 0;
            for (int rank = 1; rank <= ranking.Length; rank++)
            {
                if (relevant[ranking[rank - 1]]) sum += ++hits / (double)rank;
            }
            Assert.Equal(sum / hits, report.MapAll);
        }
    }
}
