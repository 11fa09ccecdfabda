using SemiCmr.Ml.Analysis;
using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Tests.Analysis;

public sealed class ClassRetrievalTests
{
    private static FeatureMatrix Random(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        return new FeatureMatrix([.. Enumerable.Range(0, rows * columns).Select(_ => (float)random.NextDouble() - 0.5f)], rows, columns);
    }

    [Fact]
    public void WithThousandsOfClassesOnlyTheClassesWithMostQueriesAreListedAndTheRestAveraged()
    {
        // Every test item its own class, except class 5 carried by the last 20 items too.
        const int Items = 3000;
        IReadOnlyList<IReadOnlyList<int>> labels = [.. Enumerable.Range(0, Items).Select(i => (IReadOnlyList<int>)[i >= Items - 20 ? 5 : i])];
        var images = Random(Items, 8, seed: 1);

        var table = ClassRetrieval.Compute(images, images, labels, classCount: Items);

        Assert.Equal(ClassLimits.MaxShown, table.Rows.Count);
        Assert.Equal(Items - ClassLimits.MaxShown, table.MoreClasses);
        Assert.Equal(21, Assert.Single(table.Rows, r => r.Class == 5).Queries);
        var rest = Assert.IsType<ClassAveragePrecision>(table.Rest);
        Assert.Equal(ClassLimits.Other, rest.Class);
        // Identical modalities: an item of a one-item class finds its own pair first.
        Assert.Equal(1.0, rest.ImageToText!.Value, 6);
    }

    [Fact]
    public void AFewClassesAreAllListedInClassOrderWithNothingLeftOut()
    {
        IReadOnlyList<IReadOnlyList<int>> labels = [[2], [0], [2], [1]];

        var table = ClassRetrieval.Compute(Random(4, 3, 2), Random(4, 3, 3), labels, classCount: 4);

        Assert.Equal([0, 1, 2, 3], table.Rows.Select(r => r.Class));
        Assert.Null(table.Rows[3].ImageToText);
        Assert.Equal((0, (ClassAveragePrecision?)null), (table.MoreClasses, table.Rest));
    }
}
