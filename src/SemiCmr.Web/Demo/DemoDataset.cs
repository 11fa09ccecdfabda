using System.Globalization;
using System.Text;
using SixLabors.ImageSharp;

namespace SemiCmr.Web.Demo;

/// <summary>Writes generated scenes as a manifest dataset: items.csv (id, split, labels, image, text) and images/*.png.</summary>
public static class DemoDataset
{
    public const int DefaultCount = 300;
    public const int DefaultSeed = 7;

    public static IReadOnlyList<Scene> Write(string folder, int count = DefaultCount, int seed = DefaultSeed)
    {
        var scenes = ShapeScenes.Generate(count, seed);
        Directory.CreateDirectory(Path.Combine(folder, "images"));
        var csv = new StringBuilder("id,split,labels,image,text\n");
        foreach (var scene in scenes)
        {
            string id = string.Create(CultureInfo.InvariantCulture, $"scene-{scene.Index:D4}");
            string image = $"images/{id}.png";
            using (var picture = SceneRasterizer.Draw(scene)) picture.SaveAsPng(Path.Combine(folder, image));
            csv.Append(CultureInfo.InvariantCulture, $"{id},{(scene.IsTest ? "test" : "train")},{string.Join(';', scene.Labels)},{image},\"{scene.Caption}\"\n");
        }
        File.WriteAllText(Path.Combine(folder, "items.csv"), csv.ToString());
        return scenes;
    }
}
