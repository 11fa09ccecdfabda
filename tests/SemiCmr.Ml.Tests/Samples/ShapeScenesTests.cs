using SemiCmr.Ml.Samples;

namespace SemiCmr.Ml.Tests.Samples;

public sealed class ShapeScenesTests
{
    private static readonly string[] ShapeWords = ["circle", "square", "triangle"];

    [Fact]
    public void TheSameSeedGivesTheSameScenesAndTheSameImageFiles()
    {
        string first = TestPaths.NewTempFolder(), second = TestPaths.NewTempFolder();
        var a = SceneManifest.Write(first, count: 20, seed: 3);
        var b = SceneManifest.Write(second, count: 20, seed: 3);

        Assert.Equal(a.Select(s => (s.Caption, string.Join(';', s.Labels), s.IsTest)), b.Select(s => (s.Caption, string.Join(';', s.Labels), s.IsTest)));
        Assert.Equal(File.ReadAllText(Path.Combine(first, "items.csv")), File.ReadAllText(Path.Combine(second, "items.csv")));
        foreach (var image in Directory.GetFiles(Path.Combine(first, "images")))
            Assert.Equal(File.ReadAllBytes(image), File.ReadAllBytes(Path.Combine(second, "images", Path.GetFileName(image))));
        Assert.NotEqual(a.Select(s => s.Caption), ShapeScenes.Generate(20, seed: 4).Select(s => s.Caption));
    }

    [Fact]
    public void LabelsAreExactlyTheColoursAndShapesTheCaptionNames()
    {
        var words = ShapeScenes.Palette.Select(c => c.Name).Concat(ShapeWords).ToHashSet();
        foreach (var scene in ShapeScenes.Generate(300, seed: 7))
        {
            var named = scene.Caption.Split(' ').Where(words.Contains).Distinct().Order(StringComparer.Ordinal);
            Assert.Equal(named, scene.Labels);
        }
    }

    [Fact]
    public void ScenesAreSplitEightyTwentyAndUseEveryShapeAndColour()
    {
        var scenes = ShapeScenes.Generate(300, seed: 7);

        Assert.Equal(60, scenes.Count(s => s.IsTest));
        Assert.All(ShapeWords.Concat(ShapeScenes.Palette.Select(c => c.Name)), word => Assert.Contains(scenes, s => s.Labels.Contains(word)));
        Assert.Contains(scenes, s => s.Caption.Contains(" left of ") || s.Caption.Contains(" right of "));
        Assert.Contains(scenes, s => s.Caption.Contains(" above ") || s.Caption.Contains(" below "));
    }

    [Fact]
    public void TheRasterizerPaintsEachShapeInItsColourAtItsCentre()
    {
        var red = ShapeScenes.Palette[0];
        var scene = new Scene(0, [new Shape(ShapeKind.Triangle, red, true, 40, 64, 24), new Shape(ShapeKind.Circle, ShapeScenes.Palette[2], false, 100, 64, 12)],
            "a large red triangle left of a small blue circle", ["blue", "circle", "red", "triangle"], false);
        using var image = SceneRasterizer.Draw(scene);

        Assert.Equal((red.R, red.G, red.B), (image[40, 70].R, image[40, 70].G, image[40, 70].B));
        Assert.Equal((byte)220, image[100, 64].B);
        Assert.NotEqual(red.R, image[18, 42].R); // outside the triangle's sloping edge, inside its bounding box
        Assert.NotEqual((byte)220, image[100, 78].B); // just below the small circle
    }
}
