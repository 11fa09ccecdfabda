using SemiCmr.Ml.Data;
using SemiCmr.Ml.Samples;
using SemiCmr.Ml.Search;

namespace SemiCmr.Ml.Tests.Search;

/// <summary>A label filter's rows ranked by their 8-bit copies, then a shortlist rescored exactly (<see cref="ExactIndex.SearchShortlisted"/>).</summary>
public sealed class ShortlistTests
{
    [Theory]
    [InlineData(128, 3000)] // 256-bit vectors
    [InlineData(24, 3000)] // 128-bit vectors and a tail
    [InlineData(7, 3000)] // one value at a time
    [InlineData(64, 70_000)] // split across cores
    public void AShortlistedFilteredPageIsTheExactFilteredPageWithExactScores(int dimensions, int count)
    {
        var (values, cluster) = new ClusteredVectors(dimensions, 20, seed: 7).Next(count);
        var queries = new ClusteredVectors(dimensions, 20, seed: 8).Next(20).Values;
        using var index = new ExactIndex(values, count, dimensions);
        var allowed = new ClassRows(cluster.Select(c => (IReadOnlyList<int>)[c]).ToList(), 20).Any([3, 11]);

        int same = 0, asked = 0;
        for (int q = 0; q < 20; q++)
        {
            var query = NaiveScan.Row(queries, dimensions, q);
            var exact = index.Search(query, 10, 5, allowed);
            var shortlisted = index.SearchShortlisted(query, 10, 5, allowed);

            Assert.Equal(exact.Total, shortlisted.Total);
            Assert.Equal(10, shortlisted.Hits.Count);
            Assert.All(shortlisted.Hits, h => Assert.Contains(cluster[h.Row], new[] { 3, 11 }));
            var normalised = index.NormalisedQuery(query);
            Assert.All(shortlisted.Hits, h => Assert.Equal(index.Score(normalised, h.Row), h.Score));
            Assert.Equal(shortlisted.Hits.OrderByDescending(h => h.Score).ThenBy(h => h.Row), shortlisted.Hits);
            same += shortlisted.Hits.Select(h => h.Row).Intersect(exact.Hits.Select(h => h.Row)).Count();
            asked += exact.Hits.Count;
        }

        // The shortlist holds four times the page and more: the rounding to 8 bits would have to move a row that far.
        Assert.InRange(same / (double)asked, 0.99, 1.0);
    }

    [Fact]
    public void AMappedFileShortlistsAsTheRowsInMemoryDo()
    {
        const int Count = 2000, Dimensions = 32;
        var (values, cluster) = new ClusteredVectors(Dimensions, 10, seed: 9).Next(Count);
        for (int row = 0; row < Count; row++) values[row * Dimensions] *= 1 + row % 5; // rows of many lengths: the file keeps them
        string folder = Directory.CreateTempSubdirectory("semicmr-shortlist-").FullName;
        string path = Path.Combine(folder, "embeddings.npy");
        Npy.Write(path, new FeatureMatrix(values, Count, Dimensions));
        var allowed = new ClassRows(cluster.Select(c => (IReadOnlyList<int>)[c]).ToList(), 10).Any([4]);
        var query = new ClusteredVectors(Dimensions, 10, seed: 10).Next(1).Values;
        try
        {
            using var inMemory = ExactIndex.Of(new FeatureMatrix(values, Count, Dimensions));
            using var mapped = ExactIndex.Open(path);
            Assert.True(mapped.IsMapped);

            var want = inMemory.SearchShortlisted(query, 20, 0, allowed);
            var got = mapped.SearchShortlisted(query, 20, 0, allowed);

            Assert.Equal(want.Hits.Select(h => h.Row), got.Hits.Select(h => h.Row));
            Assert.All(want.Hits.Zip(got.Hits), p => Assert.Equal(p.First.Score, p.Second.Score, 1e-5f));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ARowOrderPutsEachClassTogetherByFirstLabelKeepingRowOrderWithinAClass()
    {
        IReadOnlyList<int>[] labels = [[2], [0, 2], [], [1], [2, 0], [0], [7]]; // 7: not a class of 3

        var order = new RowOrder(labels, 3);

        Assert.Equal([1, 5, 3, 0, 4, 2, 6], order.RowAt);
        Assert.All(Enumerable.Range(0, labels.Length), row => Assert.Equal(row, order.RowAt[order.PositionOf[row]]));
    }

    [Theory]
    [InlineData(new[] { 3 })]
    [InlineData(new[] { 1, 6 })]
    public void AnIndexOpenedInClassOrderShortlistsAsOneInRowOrderWhicheverFilterItIsGiven(int[] classes)
    {
        const int Count = 40_000, Dimensions = 32; // split across cores
        var (values, cluster) = new ClusteredVectors(Dimensions, 8, seed: 14).Next(Count);
        // Multi-label: every fifth row also carries class 6, so a filter's rows are partly outside its classes' runs.
        var labels = cluster.Select((c, row) => (IReadOnlyList<int>)(row % 5 == 0 ? [c, 6] : [c])).ToList();
        string folder = Directory.CreateTempSubdirectory("semicmr-shortlist-").FullName;
        string path = Path.Combine(folder, "embeddings.npy");
        Npy.Write(path, new FeatureMatrix(values, Count, Dimensions));
        var order = new RowOrder(labels, 8);
        var queries = new ClusteredVectors(Dimensions, 8, seed: 15).Next(10).Values;
        try
        {
            using var inRowOrder = ExactIndex.Open(path);
            using var inClassOrder = ExactIndex.Open(path, order);
            var plain = new ClassRows(labels, 8).Any(classes);
            var grouped = new ClassRows(labels, 8, order).Any(classes);
            Assert.Equal(plain.Count, grouped.Count);

            for (int q = 0; q < 10; q++)
            {
                var query = NaiveScan.Row(queries, Dimensions, q);
                var want = inRowOrder.SearchShortlisted(query, 10, 3, plain);
                foreach (var page in new[] { inClassOrder.SearchShortlisted(query, 10, 3, grouped), inClassOrder.SearchShortlisted(query, 10, 3, plain) })
                {
                    Assert.Equal(want.Total, page.Total);
                    Assert.Equal(want.Hits, page.Hits);
                }
                Assert.All(want.Hits, h => Assert.Contains(labels[h.Row], l => classes.Contains(l)));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void AnOrderOfOtherRowsIsRefused()
    {
        string folder = Directory.CreateTempSubdirectory("semicmr-shortlist-").FullName;
        string path = Path.Combine(folder, "embeddings.npy");
        Npy.Write(path, new FeatureMatrix(new float[40], 10, 4));
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => ExactIndex.Open(path, new RowOrder(Enumerable.Repeat<IReadOnlyList<int>>([0], 9).ToList(), 1)));
            Assert.Equal("The row order covers 9 rows; the embeddings have 10.", error.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void PagesPastTheFilterAndFiltersOfNoRowFindNothingButCountTheRows()
    {
        var (values, cluster) = new ClusteredVectors(8, 4, seed: 12).Next(400);
        using var index = new ExactIndex(values, 400, 8);
        var classes = new ClassRows(cluster.Select(c => (IReadOnlyList<int>)[c]).ToList(), 5);
        var query = NaiveScan.Row(values, 8, 0);

        var none = index.SearchShortlisted(query, 10, 0, classes.Any([4]));
        var one = classes.Any([1]);
        var past = index.SearchShortlisted(query, 10, one.Count, one);
        var last = index.SearchShortlisted(query, 10, one.Count - 3, one);

        Assert.Equal((0, 0), (none.Hits.Count, none.Total));
        Assert.Equal((0, one.Count), (past.Hits.Count, past.Total));
        Assert.Equal(index.Search(query, 10, one.Count - 3, one).Hits, last.Hits);
    }

    [Theory]
    [InlineData(128)]
    [InlineData(40)]
    [InlineData(5)]
    public void The8BitDotProductIs127SquaredTimesTheCosineGiveOrTakeTheRounding(int dimensions)
    {
        var (values, _) = new ClusteredVectors(dimensions, 3, seed: 13).Next(50);
        using var index = new ExactIndex(values, 50, dimensions);
        var rows = new QuantizedRows(50, dimensions);
        for (int row = 0; row < 50; row++) rows.Set(row, index.Row(row), 1);
        var query = index.NormalisedQuery(NaiveScan.Row(values, dimensions, 0));
        var quantizedQuery = rows.Query(query);

        for (int row = 0; row < 50; row++)
            Assert.Equal(index.Score(query, row), rows.Dot(quantizedQuery, row) / (127f * 127f), 0.02f);
        Assert.Equal(127 * 127, rows.Dot(quantizedQuery, 0), 127 * 127 * 0.02);
    }
}
