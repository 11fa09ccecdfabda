using System.Globalization;
using System.Text;
using SixLabors.ImageSharp;

namespace SemiCmr.Ml.Samples;

/// <summary>
/// Writes generated scenes as a manifest dataset: items.csv (id, split, labels, image, text) and images/*.png.
/// This is the app's demo dataset and the clean base of the raw samples.
/// </summary>
public static class SceneManifest
{
    public const int DefaultCount = 300;
    public const int DefaultSeed = 7;

    public static IReadOnlyList<Scene> Write(string folder, int count = DefaultCount, int seed = DefaultSeed) =>
        Write(folder, ShapeScenes.Generate(count, seed), unlabeledEvery: 0);

    /// <summary>Every <paramref name="unlabeledEvery"/>-th scene (0: none) is written with no labels.</summary>
    public static IReadOnlyList<Scene> Write(string folder, IReadOnlyList<Scene> scenes, int unlabeledEvery)
    {
        Directory.CreateDirectory(Path.Combine(folder, "images"));
        var csv = new StringBuilder("id,split,labels,image,text\n");
        foreach (var scene in scenes)
        {
            string id = IdOf(scene);
            string image = $"images/{id}.png";
            using (var picture = SceneRasterizer.Draw(scene)) picture.SaveAsPng(Path.Combine(folder, image));
            bool unlabeled = unlabeledEvery > 0 && scene.Index % unlabeledEvery == unlabeledEvery - 1;
            string labels = unlabeled ? "" : string.Join(';', scene.Labels);
            csv.Append(CultureInfo.InvariantCulture, $"{id},{(scene.IsTest ? "test" : "train")},{labels},{image},\"{scene.Caption}\"\n");
        }
        File.WriteAllText(Path.Combine(folder, "items.csv"), csv.ToString());
        return scenes;
    }

    public static string IdOf(Scene scene) => string.Create(CultureInfo.InvariantCulture, $"scene-{scene.Index:D4}");
}
