using SemiCmr.Ml.Data;
using SemiCmr.Ml.Samples;
using SemiCmr.Ml.Search;

namespace SemiCmr.Ml.Tests.Search;

public sealed class ExactIndexTests
{
    private const int Dimensions = 16;

    [Theory]
    [InlineData(500)]
    [InlineData(70_000)] // split across cores
    public void RanksLikeANaiveScanOfEveryRowPageByPage(int count)
    {
        var (values, _) = new ClusteredVectors(Dimensions, 20, seed: 3).Next(count);
        var queries = new ClusteredVectors(Dimensions, 20, seed: 4).Next(5).Values;
        using var index = new ExactIndex(values, count, Dimensions);

        for (int q = 0; q < 5; q++)
        {
            var query = NaiveScan.Row(queries, Dimensions, q);
            var expected = NaiveScan.Rank(index, query);
            foreach (var (k, offset) in new[] { (10, 0), (7, 13), (25, count - 5), (3, count + 10) })
            {
                var page = index.Search(query, k, offset);
                Assert.Equal(count, page.Total);
                var want = expected.Skip(offset).Take(k).ToList();
                Assert.Equal(want.Select(h => h.Row), page.Hits.Select(h => h.Row));
                Assert.Equal(want.Select(h => h.Score), page.Hits.Select(h => h.Score));
            }
        }
    }

    [Fact]
    public void RowsAreStoredAtUnitLengthSoAScoreIsTheCosine()
    {
        var values = new float[] { 3, 4, 0, 0, 0, 2 };
        using var index = new ExactIndex(values, 3, 2);

        Assert.Equal([0.6f, 0.8f], index.Row(0).ToArray());
        Assert.Equal([0f, 0f], index.Row(1).ToArray()); // a zero vector stays zero instead of becoming NaN
        Assert.Equal(1f, index.Search(new float[] { 0, 5 }, 1, 0).Hits[0].Score, 1e-6f);
    }

    [Fact]
    public void AMappedEmbeddingsFileRanksAndScoresAsTheRowsInMemory()
    {
        const int Count = 3000;
        var (values, clusters) = new ClusteredVectors(Dimensions, 20, seed: 5).Next(Count);
        for (int row = 0; row < Count; row++) values[row * Dimensions] *= 1 + row % 7; // rows of many lengths
        string path = Path.Combine(Directory.CreateTempSubdirectory("semicmr-mapped-").FullName, "embeddings.npy");
        Npy.Write(path, new FeatureMatrix(values, Count, Dimensions));
        using var inMemory = ExactIndex.Of(new FeatureMatrix(values, Count, Dimensions));
        var allowed = new ClassRows(clusters.Select(c => (IReadOnlyList<int>)[c]).ToList(), 20).Any([2, 5]);
        var query = new ClusteredVectors(Dimensions, 20, seed: 6).Next(1).Values;

        using (var mapped = ExactIndex.Open(path))
        {
            Assert.True(mapped.IsMapped);
            foreach (var filter in new[] { null, allowed })
            {
                var want = inMemory.Search(query, 50, 10, filter);
                var got = mapped.Search(query, 50, 10, filter);
                Assert.Equal(want.Total, got.Total);
                Assert.Equal(want.Hits.Select(h => h.Row), got.Hits.Select(h => h.Row));
                Assert.All(want.Hits.Zip(got.Hits), p => Assert.Equal(p.First.Score, p.Second.Score, 1e-5f));
            }
            mapped.Dispose();
            Assert.Throws<ObjectDisposedException>(() => mapped.Row(0).ToArray());
        }
        File.Delete(path); // a closed mapping leaves the file free
    }

    [Fact]
    public void AFileThatCannotBeMappedAsRowsIsReadIntoMemory()
    {
        double[,] values = { { 3, 4 }, { 0, 2 } };
        string path = Path.Combine(Directory.CreateTempSubdirectory("semicmr-mapped-").FullName, "fortran.npy");
        File.WriteAllBytes(path, Data.NpyBytes.File("<f8", true, Data.NpyBytes.Shape(values), Data.NpyBytes.Float64(values, true)));

        using var index = ExactIndex.Open(path);

        Assert.False(index.IsMapped);
        Assert.Equal([0.6f, 0.8f], index.Row(0).ToArray());
    }

    [Fact]
    public void EqualScoresAreOrderedByRowSoConsecutivePagesNeitherRepeatNorSkipARow()
    {
        // 40 copies of 3 vectors: every score is shared by many rows.
        var values = Enumerable.Range(0, 120).SelectMany(row => (row % 3) switch { 0 => new float[] { 1, 0 }, 1 => [0, 1], _ => [1, 1] }).ToArray();
        using var index = new ExactIndex(values, 120, 2);
        float[] query = [1, 0.2f];

        var paged = Enumerable.Range(0, 12).SelectMany(p => index.Search(query, 10, p * 10).Hits).ToList();

        Assert.Equal(Enumerable.Range(0, 120).Where(r => r % 3 == 0).Concat(Enumerable.Range(0, 120).Where(r => r % 3 == 2)).Concat(Enumerable.Range(0, 120).Where(r => r % 3 == 1)),
            paged.Select(h => h.Row));
    }

    [Theory]
    [InlineData(300)]
    [InlineData(70_000)]
    public void ALabelFilterRanksOnlyTheRowsOfTheAskedClassesAndCountsThem(int count)
    {
        var (values, cluster) = new ClusteredVectors(Dimensions, 10, seed: 5).Next(count);
        // Rows of cluster c carry label c, every 7th also label 9: a multi-label dataset.
        var labels = cluster.Select((c, row) => (IReadOnlyList<int>)(row % 7 == 0 ? [c, 9] : [c])).ToList();
        var classes = new ClassRows(labels, 10);
        using var index = new ExactIndex(values, count, Dimensions);
        var query = NaiveScan.Row(values, Dimensions, 1);
        var allowed = classes.Any([2, 9]);

        var page = index.Search(query, 50, 5, allowed);

        var expected = NaiveScan.Rank(index, query, row => labels[row].Contains(2) || labels[row].Contains(9));
        Assert.Equal(expected.Count, page.Total);
        Assert.Equal(expected.Skip(5).Take(50).Select(h => h.Row), page.Hits.Select(h => h.Row));
    }

    [Fact]
    public void AFilterThatAllowsNoRowFindsNothing()
    {
        var (values, cluster) = new ClusteredVectors(4, 3, seed: 6).Next(100);
        using var index = new ExactIndex(values, 100, 4);
        var classes = new ClassRows(cluster.Select(c => (IReadOnlyList<int>)[c]).ToList(), 4);

        var page = index.Search(new float[] { 1, 0, 0, 0 }, 10, 0, classes.Any([3]));

        Assert.Empty(page.Hits);
        Assert.Equal(0, page.Total);
    }

    [Fact]
    public void AQueryOfTheWrongLengthIsRefusedNamingBothLengths()
    {
        using var index = new ExactIndex(new float[8], 2, 4);

        var error = Assert.Throws<ArgumentException>(() => index.Search(new float[3], 1, 0));

        Assert.Contains("3 dimensions", error.Message);
        Assert.Contains("has 4", error.Message);
    }
}
