using SemiCmr.Ml.Samples;
using SemiCmr.Ml.Search;

namespace SemiCmr.Ml.Tests.Search;

public sealed class HnswIndexTests : IDisposable
{
    private const int Dimensions = 32, Count = 5000, Queries = 100;
    private readonly string folder = Directory.CreateTempSubdirectory("semicmr-hnsw-").FullName;
    private readonly ClusteredVectors data = new(Dimensions, 50, seed: 11);
    private readonly ExactIndex exact;
    private readonly int[] cluster;

    public HnswIndexTests()
    {
        var (values, clusters) = data.Next(Count);
        exact = new ExactIndex(values, Count, Dimensions);
        cluster = clusters;
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void FindsAtLeast95PercentOfTheExactTop10()
    {
        using var hnsw = HnswIndex.Build(exact, cancellationToken: TestContext.Current.CancellationToken);
        var queries = data.Next(Queries).Values;

        int found = 0;
        for (int q = 0; q < Queries; q++)
        {
            var query = NaiveScan.Row(queries, Dimensions, q);
            found += hnsw.Search(query, 10, 0).Hits.Select(h => h.Row).Intersect(exact.Search(query, 10, 0).Hits.Select(h => h.Row)).Count();
        }

        Assert.InRange(found / (double)(Queries * 10), 0.95, 1.0);
    }

    [Fact]
    public void ScoresHitsAsTheExactScanDoesBestFirst()
    {
        using var hnsw = HnswIndex.Build(exact, cancellationToken: TestContext.Current.CancellationToken);
        var query = NaiveScan.Row(data.Next(1).Values, Dimensions, 0);

        var page = hnsw.Search(query, 20, 0);

        Assert.Equal(Count, page.Total);
        Assert.Equal(20, page.Hits.Count);
        var exactScores = exact.Search(query, Count, 0).Hits.ToDictionary(h => h.Row, h => h.Score);
        Assert.All(page.Hits, h => Assert.Equal(exactScores[h.Row], h.Score));
        Assert.Equal(page.Hits.OrderByDescending(h => h.Score).ThenBy(h => h.Row), page.Hits);
    }

    [Fact]
    public void ASavedIndexOpensMemoryMappedAndAnswersAsTheBuiltOneDid()
    {
        string path = Path.Combine(folder, "images.usearch");
        var queries = data.Next(20).Values;
        List<int[]> before;
        using (var built = HnswIndex.Build(exact, cancellationToken: TestContext.Current.CancellationToken))
        {
            built.Save(path);
            before = Enumerable.Range(0, 20).Select(q => built.Search(NaiveScan.Row(queries, Dimensions, q), 10, 0).Hits.Select(h => h.Row).ToArray()).ToList();
        }

        using var opened = HnswIndex.Open(path, exact);

        Assert.Equal(Count, opened.Count);
        Assert.Equal(before, Enumerable.Range(0, 20).Select(q => opened.Search(NaiveScan.Row(queries, Dimensions, q), 10, 0).Hits.Select(h => h.Row).ToArray()));
        Assert.False(File.Exists(path + ".saving"));
    }

    [Fact]
    public void AWiderSearchExpansionFindsMoreOfTheExactTop10WithoutARebuild()
    {
        using var hnsw = HnswIndex.Build(exact, cancellationToken: TestContext.Current.CancellationToken);
        var queries = data.Next(Queries).Values;
        var truth = Enumerable.Range(0, Queries).Select(q => exact.Search(NaiveScan.Row(queries, Dimensions, q), 10, 0).Hits.Select(h => h.Row).ToArray()).ToList();
        double Recall() => Enumerable.Range(0, Queries)
            .Sum(q => hnsw.Search(NaiveScan.Row(queries, Dimensions, q), 10, 0).Hits.Select(h => h.Row).Intersect(truth[q]).Count()) / (double)(Queries * 10);

        hnsw.SearchExpansion = 10;
        double narrow = Recall();
        hnsw.SearchExpansion = 400;
        double wide = Recall();

        Assert.Equal(400, hnsw.SearchExpansion);
        Assert.True(wide > narrow, $"recall@10 {wide} at ef 400, {narrow} at ef 10");
        Assert.InRange(wide, 0.99, 1.0);
        Assert.Throws<ArgumentOutOfRangeException>(() => hnsw.SearchExpansion = 0);
    }

    [Fact]
    public void TheSavedGraphKeepsItsVectorsIn8Bits()
    {
        string path = Path.Combine(folder, "int8.usearch");
        using (var built = HnswIndex.Build(exact, cancellationToken: TestContext.Current.CancellationToken)) built.Save(path);

        var options = new Cloud.Unum.USearch.IndexOptions();
        UsearchNative.usearch_metadata(path, ref options, out var error);
        UsearchNative.Check(error);

        Assert.Equal((Cloud.Unum.USearch.ScalarKind.Int8, (ulong)Dimensions), (options.quantization, options.dimensions));
    }

    [Fact]
    public void AGraphSavedByAnEarlierVersionInHalfPrecisionStillOpensAndAnswers()
    {
        string path = Path.Combine(folder, "half.usearch");
        var query = NaiveScan.Row(data.Next(1).Values, Dimensions, 0);
        using (var built = HnswIndex.Build(exact, Cloud.Unum.USearch.ScalarKind.Float16, 16, cancellationToken: TestContext.Current.CancellationToken))
            built.Save(path);

        using var opened = HnswIndex.Open(path, exact);

        var found = opened.Search(query, 10, 0).Hits.Select(h => h.Row);
        Assert.InRange(found.Intersect(exact.Search(query, 10, 0).Hits.Select(h => h.Row)).Count(), 8, 10);
    }

    [Fact]
    public void AFileOfOtherEmbeddingsIsRefusedAsDamaged()
    {
        string path = Path.Combine(folder, "other.usearch");
        var (values, _) = data.Next(100);
        using (var other = HnswIndex.Build(new ExactIndex(values, 100, Dimensions), cancellationToken: TestContext.Current.CancellationToken))
            other.Save(path);

        var error = Assert.Throws<InvalidDataException>(() => HnswIndex.Open(path, exact));

        Assert.Contains("100 vectors", error.Message);
    }

    [Theory]
    [InlineData(true)] // a filter of few rows: shortlisted at once
    [InlineData(false)] // through the graph first, which returns too few of the filter's rows: then the shortlist
    public void ALabelFilterTheQueryLiesFarFromFindsTheExactFilteredTop10(bool fewRows)
    {
        using var hnsw = HnswIndex.Build(exact, cancellationToken: TestContext.Current.CancellationToken);
        if (!fewRows) hnsw.DirectShortlistRows = 0;
        int[] classes = [40, 41, 42, 43, 44]; // a tenth of the rows, in clusters the queries are not drawn from
        var allowed = new ClassRows(cluster.Select(c => (IReadOnlyList<int>)[c]).ToList(), 50).Any(classes);
        var (queries, queryClusters) = data.Next(Queries * 2);
        var far = Enumerable.Range(0, Queries * 2).Where(q => queryClusters[q] < 40).Take(Queries).ToList();

        int found = 0;
        foreach (int q in far)
        {
            var query = NaiveScan.Row(queries, Dimensions, q);
            var page = hnsw.Search(query, 10, 0, allowed);
            Assert.All(page.Hits, h => Assert.Contains(cluster[h.Row], classes));
            found += page.Hits.Select(h => h.Row).Intersect(exact.Search(query, 10, 0, allowed).Hits.Select(h => h.Row)).Count();
        }

        Assert.InRange(found / (double)(far.Count * 10), 0.98, 1.0);
    }

    [Theory]
    [InlineData(new[] { 7 }, 0)] // 2 % of the rows: the graph would need most of the index, the shortlist answers
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25 }, 0)] // half: the graph answers
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25 }, Count)] // few rows: the shortlist
    public void ALabelFilterReturnsOnlyAllowedRowsAndAFullPage(int[] classes, int directShortlistRows)
    {
        using var hnsw = HnswIndex.Build(exact, cancellationToken: TestContext.Current.CancellationToken);
        hnsw.DirectShortlistRows = directShortlistRows;
        var allowed = new ClassRows(cluster.Select(c => (IReadOnlyList<int>)[c]).ToList(), 50).Any(classes);
        var query = NaiveScan.Row(data.Next(1).Values, Dimensions, 0);

        var page = hnsw.Search(query, 30, 60, allowed);

        Assert.Equal(allowed.Count, page.Total);
        Assert.Equal(Math.Min(30, allowed.Count - 60), page.Hits.Count);
        Assert.All(page.Hits, h => Assert.Contains(cluster[h.Row], classes));
        Assert.Equal(page.Hits.Count, page.Hits.Select(h => h.Row).Distinct().Count());
    }
}
