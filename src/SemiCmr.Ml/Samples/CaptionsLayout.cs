using System.Globalization;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;

namespace SemiCmr.Ml.Samples;

/// <summary>
/// The Flickr8k layout: captions.csv (image,caption), three captions per image, images/*.jpg, no labels and no
/// split. With faults: one image whose captions are all empty, one truncated JPEG.
/// </summary>
internal static class CaptionsLayout
{
    public static RawSample Write(string folder, IReadOnlyList<Scene> scenes)
    {
        Directory.CreateDirectory(Path.Combine(folder, "images"));
        var csv = new StringBuilder("image,caption\n");
        var encoder = new JpegEncoder { Quality = 90 };
        foreach (var scene in scenes)
        {
            string file = SceneManifest.IdOf(scene) + ".jpg";
            using (var picture = SceneRasterizer.Draw(scene)) picture.SaveAsJpeg(Path.Combine(folder, "images", file), encoder);
            foreach (var caption in Captions(scene))
                csv.Append(CultureInfo.InvariantCulture, $"{file},\"{(scene.Index == 1 ? "" : caption)}\"\n");
        }
        File.WriteAllText(Path.Combine(folder, "captions.csv"), csv.ToString());

        string broken = SceneManifest.IdOf(scenes[2]);
        Faults.Truncate(Path.Combine(folder, "images", broken + ".jpg"));
        ExpectedSkip[] skips =
        [
            new(SceneManifest.IdOf(scenes[1]), "captions.csv", Faults.EmptyText),
            new(broken, $"images/{broken}.jpg", Faults.TruncatedJpeg),
        ];
        return new RawSample("captions", folder, scenes.Count - skips.Length, skips);
    }

    /// <summary>Three ways to say what is in the picture, as several annotators would.</summary>
    private static IEnumerable<string> Captions(Scene scene)
    {
        yield return scene.Caption;
        yield return "a picture of " + string.Join(" and ", scene.Shapes.Select(s => $"a {s.Colour.Name} {s.Name}"));
        yield return scene.Shapes.Count == 1 ? $"one {scene.Shapes[0].Name} on a light background" : $"two shapes: {scene.Shapes[0].Name} and {scene.Shapes[1].Name}";
    }
}
