using SemiCmr.Ml.Data;
using SemiCmr.Ml.Evaluation;
using static SemiCmr.Ml.Tests.Evaluation.Rankings;

namespace SemiCmr.Ml.Tests.Evaluation;

public sealed class QuerySampleTests
{
    private static readonly Random Random = new(11);

    // 60 labeled queries (two classes) and 10 unlabeled ones, against 30 database items.
    private static readonly FeatureMatrix Queries = Gaussian(70);
    private static readonly FeatureMatrix Database = Gaussian(30);
    private static readonly IReadOnlyList<IReadOnlyList<int>> QueryLabels =
        Enumerable.Range(0, 70).Select(q => q % 7 == 3 ? [] : (IReadOnlyList<int>)[q % 2]).ToArray();
    private static readonly IReadOnlyList<IReadOnlyList<int>> DatabaseLabels = SingleLabels([.. Enumerable.Range(0, 30).Select(i => i % 2)]);

    private static FeatureMatrix Gaussian(int rows) =>
        new(Enumerable.Range(0, rows * 4).Select(_ => (float)Random.NextDouble() - 0.5f).ToArray(), rows, 4);

    [Fact]
    public void QueriesWithinTheMaximumAreAllRankedAndNoSampleIsReported()
    {
        var report = RetrievalMetrics.Evaluate(Queries, QueryLabels, Database, DatabaseLabels, new EvaluationOptions(MaxQueries: 60));

        Assert.Null(report.Sample);
        Assert.Equal(60, report.Queries);
    }

    [Fact]
    public void MoreLabeledQueriesThanTheMaximumAreSampledAndTheReportSaysHowManyOfHowMany()
    {
        var report = RetrievalMetrics.Evaluate(Queries, QueryLabels, Database, DatabaseLabels, new EvaluationOptions(MaxQueries: 25));

        Assert.Equal(new QuerySample(25, 60), report.Sample);
        Assert.Equal(25, report.Queries);
    }

    [Fact]
    public void TheSampleIsDrawnFromLabeledQueriesAndTheSameSeedDrawsTheSameOne()
    {
        var options = new EvaluationOptions(MaxQueries: 25, Seed: 4);
        var (rows, _) = QuerySampler.Draw(QueryLabels, options);

        Assert.Equal(25, rows.Distinct().Count());
        Assert.All(rows, row => Assert.NotEmpty(QueryLabels[row]));
        Assert.Equal(rows.Order(), rows);
        Assert.Equal(rows, QuerySampler.Draw(QueryLabels, options).Rows);
        Assert.NotEqual(rows, QuerySampler.Draw(QueryLabels, options with { Seed = 5 }).Rows);
    }

    [Fact]
    public void SampledFiguresAreExactlyThoseOfRankingTheSampledQueriesAlone()
    {
        var options = new EvaluationOptions(MaxQueries: 25, Seed: 4);
        var (rows, _) = QuerySampler.Draw(QueryLabels, options);

        var sampled = RetrievalMetrics.Evaluate(Queries, QueryLabels, Database, DatabaseLabels, options);
        var alone = RetrievalMetrics.Evaluate(Queries.SelectRows(rows), [.. rows.Select(r => QueryLabels[r])], Database, DatabaseLabels, options);

        Assert.Null(alone.Sample);
        Assert.Equal(alone.MapAll, sampled.MapAll);
        Assert.Equal(alone.MapAtR, sampled.MapAtR);
        Assert.Equal(alone.PrecisionAtK, sampled.PrecisionAtK);
        Assert.Equal(alone.PrecisionRecall, sampled.PrecisionRecall);
    }
}
