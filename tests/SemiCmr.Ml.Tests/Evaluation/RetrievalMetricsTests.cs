using SemiCmr.Ml.Evaluation;
using static SemiCmr.Ml.Tests.Evaluation.Rankings;

namespace SemiCmr.Ml.Tests.Evaluation;

public sealed class RetrievalMetricsTests
{
    private const double Tolerance = 1e-9;

    // Query label 0; ranking labels 0, 1, 0, 1, 0 -> relevant at ranks 1, 3, 5.
    private static RetrievalReport SingleLabelCase(EvaluationOptions? options = null) =>
        RetrievalMetrics.Evaluate(Query, SingleLabels(0), DatabaseInRankOrder(5), SingleLabels(0, 1, 0, 1, 0), options);

    [Fact]
    public void MapOverTheWholeRankingAveragesPrecisionAtEachRelevantRank()
    {
        // AP = (1/1 + 2/3 + 3/5) / 3 = 0.755556
        var report = SingleLabelCase();

        Assert.Equal((1.0 + 2.0 / 3 + 3.0 / 5) / 3, report.MapAll, Tolerance);
        Assert.Equal(1, report.Queries);
    }

    [Fact]
    public void MapAtRNormalisesByTheRelevantItemsFoundInTheTopR()
    {
        // Top 3 holds relevant items at ranks 1 and 3: (1/1 + 2/3) / 2 = 0.833333.
        var report = SingleLabelCase(new EvaluationOptions(R: 3));

        Assert.Equal((1.0 + 2.0 / 3) / 2, report.MapAtR, Tolerance);
        Assert.Equal(3, report.R);
    }

    [Fact]
    public void MapAtRIsZeroForAQueryWithNoRelevantItemInTheTopR()
    {
        // Ranking labels 1, 1, 0: nothing relevant in the top 2.
        var report = RetrievalMetrics.Evaluate(Query, SingleLabels(0), DatabaseInRankOrder(3), SingleLabels(1, 1, 0), new EvaluationOptions(R: 2));

        Assert.Equal(0, report.MapAtR, Tolerance);
        Assert.Equal(1.0 / 3, report.MapAll, Tolerance);
    }

    [Fact]
    public void MapAtZeroAndMapAtRBeyondTheDatabaseEqualMapOverEverything()
    {
        var all = SingleLabelCase(new EvaluationOptions(R: 0));
        var beyond = SingleLabelCase(new EvaluationOptions(R: 50));

        Assert.Equal(all.MapAll, all.MapAtR, Tolerance);
        Assert.Equal(all.MapAll, beyond.MapAtR, Tolerance);
    }

    [Fact]
    public void PrecisionAtKCountsRelevantItemsInTheTopKAndCapsKAtTheDatabaseSize()
    {
        var report = SingleLabelCase(new EvaluationOptions(Ks: [1, 2, 5, 10]));

        Assert.Equal(1.0, report.PrecisionAtK[1], Tolerance);
        Assert.Equal(0.5, report.PrecisionAtK[2], Tolerance);
        Assert.Equal(0.6, report.PrecisionAtK[5], Tolerance);
        Assert.Equal(0.6, report.PrecisionAtK[10], Tolerance); // top 10 of 5 items = all 5
    }

    [Fact]
    public void DefaultOptionsReportPrecisionAtOneFiveTenAndFifty()
    {
        Assert.Equal([1, 5, 10, 50], SingleLabelCase().PrecisionAtK.Keys.Order());
    }

    [Fact]
    public void PrecisionRecallCurveHoldsInterpolatedPrecisionAtElevenRecallLevels()
    {
        // Hits: recall 1/3 at precision 1, 2/3 at 2/3, 1 at 3/5. Interpolated (best precision at recall >= r):
        // r <= 1/3 -> 1; 1/3 < r <= 2/3 -> 2/3; r > 2/3 -> 3/5.
        var curve = SingleLabelCase().PrecisionRecall;

        double[] expected = [1, 1, 1, 1, 2.0 / 3, 2.0 / 3, 2.0 / 3, 0.6, 0.6, 0.6, 0.6];
        Assert.Equal(Enumerable.Range(0, 11).Select(i => i / 10.0), curve.Select(p => p.Recall));
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], curve[i].Precision, Tolerance);
    }

    [Fact]
    public void MultiLabelItemsAreRelevantWhenTheyShareAnyLabel()
    {
        // Query {0, 2}; ranking {1}, {2, 3}, {0}, {1, 3}, {0, 1} -> relevant at ranks 2, 3, 5:
        // AP = (1/2 + 2/3 + 3/5) / 3 = 0.588889; P@1 = 0, P@3 = 2/3.
        var database = Labels([1], [2, 3], [0], [1, 3], [0, 1]);
        var report = RetrievalMetrics.Evaluate(Query, Labels([0, 2]), DatabaseInRankOrder(5), database, new EvaluationOptions(Ks: [1, 3]));

        Assert.Equal((1.0 / 2 + 2.0 / 3 + 3.0 / 5) / 3, report.MapAll, Tolerance);
        Assert.Equal(0, report.PrecisionAtK[1], Tolerance);
        Assert.Equal(2.0 / 3, report.PrecisionAtK[3], Tolerance);
    }

    [Fact]
    public void UnlabeledDatabaseItemsAreRankedButNeverRelevant()
    {
        // Ranking: unlabeled, {0}, unlabeled, {0} -> relevant at ranks 2 and 4: (1/2 + 2/4) / 2 = 0.5.
        var report = RetrievalMetrics.Evaluate(Query, Labels([0]), DatabaseInRankOrder(4), Labels([], [0], [], [0]));

        Assert.Equal(0.5, report.MapAll, Tolerance);
    }

    [Fact]
    public void QueriesWithoutLabelsOrWithoutAnyRelevantItemAreSkipped()
    {
        // Three copies of the query: labeled 0, unlabeled, and labeled 7 (no database item has 7).
        // Ranking labels 1, 0 -> the first query's AP is 1/2; the other two do not count.
        var queries = Matrix([1f, 0f], [1f, 0f], [1f, 0f]);
        var report = RetrievalMetrics.Evaluate(queries, Labels([0], [], [7]), DatabaseInRankOrder(2), SingleLabels(1, 0));

        Assert.Equal(1, report.Queries);
        Assert.Equal(0.5, report.MapAll, Tolerance);
    }

    [Fact]
    public void MapIsTheMeanOverQueries()
    {
        // Query label 0 on ranking 0, 1, 1 -> AP 1; query label 1 on the same ranking -> (1/2 + 2/3) / 2.
        var queries = Matrix([1f, 0f], [1f, 0f]);
        var report = RetrievalMetrics.Evaluate(queries, SingleLabels(0, 1), DatabaseInRankOrder(3), SingleLabels(0, 1, 1));

        Assert.Equal((1 + (0.5 + 2.0 / 3) / 2) / 2, report.MapAll, Tolerance);
        Assert.Equal(2, report.Queries);
    }

    [Fact]
    public void TiedScoresAreBrokenByDatabaseIndex()
    {
        // Items 0 and 1 are the same vector; item 2 is the zero vector (cosine 0), item 3 is opposite.
        // Ranking 0, 1, 2, 3; relevant (label 0) are items 1 and 2: AP = (1/2 + 2/3) / 2.
        // Any other order of the tie would give (1/1 + 2/3) / 2.
        var database = Matrix([2f, 1f], [2f, 1f], [0f, 0f], [-1f, 0f]);
        var report = RetrievalMetrics.Evaluate(Query, Labels([0]), database, SingleLabels(1, 0, 0, 1));

        Assert.Equal((0.5 + 2.0 / 3) / 2, report.MapAll, Tolerance);
    }

    [Fact]
    public void ScoresAreCosineSoTheLengthOfAVectorDoesNotMatter()
    {
        // Item 0 is long but 45 degrees away, item 1 short but aligned: item 1 ranks first.
        var database = Matrix([100f, 100f], [0.01f, 0f]);
        var report = RetrievalMetrics.Evaluate(Query, Labels([0]), database, SingleLabels(1, 0));

        Assert.Equal(1.0, report.MapAll, Tolerance);
    }

    [Fact]
    public void PerClassAveragePrecisionAveragesTheQueriesOfEachClassAndMarksClassesWithoutQueries()
    {
        // Ranking labels 0, 1, 1. Class 0 queries: AP 1. Class 1 query: (1/2 + 2/3) / 2. Class 2: no query.
        // The multi-label query {0, 1} has AP (1 + 2/2 + 3/3) / 3 = 1 and counts for both classes.
        var queries = Matrix([1f, 0f], [1f, 0f], [1f, 0f]);
        var perClass = RetrievalMetrics.PerClassAveragePrecision(
            queries, Labels([0], [1], [0, 1]), DatabaseInRankOrder(3), SingleLabels(0, 1, 1), classCount: 3);

        Assert.Equal(3, perClass.Count);
        Assert.Equal(1.0, perClass[0], Tolerance);
        Assert.Equal(((0.5 + 2.0 / 3) / 2 + 1) / 2, perClass[1], Tolerance);
        Assert.True(double.IsNaN(perClass[2]));
    }

    [Fact]
    public void MismatchedLabelCountsAreRefused()
    {
        Assert.Throws<ArgumentException>(() =>
            RetrievalMetrics.Evaluate(Query, SingleLabels(0), DatabaseInRankOrder(3), SingleLabels(0, 1)));
    }
}
