using SemiCmr.Ml.Samples;
using SemiCmr.Web.Datasets;

namespace SemiCmr.Web.Tests;

[CollectionDefinition(Name)]
public sealed class ShapesCollection : ICollectionFixture<ShapesAppFixture>
{
    public const string Name = "shapes app";
}

/// <summary>The generated manifest sample (rendered scenes, multi-label colours and shapes, four broken items).</summary>
public sealed class ShapesAppFixture : RawAppFixture
{
    private const int Scenes = 300;
    private RawExpectations? expected;
    private string folder = "";

    public override RawExpectations Expected => expected ?? throw new InvalidOperationException("The sample is not written yet.");

    protected override string PrepareSource()
    {
        folder = Path.Combine(App.ImportRoot, "shapes");
        var sample = RawSamples.WriteManifest(folder, Scenes, seed: 1);
        var skipped = sample.Skips.Select(s => s.Item).ToHashSet();
        var kept = ShapeScenes.Generate(Scenes, seed: 1).Where(scene => !skipped.Contains(SceneManifest.IdOf(scene))).ToList();
        int test = kept.Count(scene => scene.IsTest);
        int unlabeled = File.ReadLines(Path.Combine(folder, "items.csv")).Skip(1)
            .Count(line => line.Split(',')[2].Length == 0 && !skipped.Contains(line.Split(',')[0]));
        int classes = ShapeScenes.Palette.Count + Enum.GetValues<ShapeKind>().Length;
        expected = new RawExpectations(sample.Items, sample.Skips.Count, new SplitCounts(kept.Count - test, 0, test), classes, unlabeled,
            "image/png", "a large red circle", "red");
        return folder;
    }

    public override void RequireSource() { }

    public override string ImageFileOf(ItemSummary item) => Path.Combine(folder, "images", item.ExternalId + ".png");
}
