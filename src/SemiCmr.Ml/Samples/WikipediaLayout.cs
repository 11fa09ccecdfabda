using System.Globalization;
using System.Security;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;

namespace SemiCmr.Ml.Samples;

/// <summary>
/// The Wikipedia cross-modal layout: categories.list (circle, square, triangle: the first shape of a scene is
/// its one class), trainset/testset_txt_img_cat.list, texts/t*.xml and images/&lt;class&gt;/i*.jpg.
/// With faults: one text file missing, one image missing.
/// </summary>
internal static class WikipediaLayout
{
    private static readonly string[] Classes = Enum.GetNames<ShapeKind>().Select(name => name.ToLowerInvariant()).ToArray();

    public static RawSample Write(string folder, IReadOnlyList<Scene> scenes)
    {
        Directory.CreateDirectory(Path.Combine(folder, "texts"));
        foreach (var name in Classes) Directory.CreateDirectory(Path.Combine(folder, "images", name));
        File.WriteAllText(Path.Combine(folder, "categories.list"), string.Join('\n', Classes) + "\n");
        var train = new StringBuilder();
        var test = new StringBuilder();
        var encoder = new JpegEncoder { Quality = 90 };
        foreach (var scene in scenes)
        {
            int classIndex = (int)scene.Shapes[0].Kind;
            (scene.IsTest ? test : train).Append(CultureInfo.InvariantCulture, $"{TextId(scene)}\t{ImageId(scene)}\t{classIndex + 1}\n");
            string document = $"<document><title>{Classes[classIndex]}</title><text>{SecurityElement.Escape(scene.Caption)}</text></document>";
            File.WriteAllText(Path.Combine(folder, TextFile(scene)), document);
            using var picture = SceneRasterizer.Draw(scene);
            picture.SaveAsJpeg(Path.Combine(folder, ImageFile(scene)), encoder);
        }
        File.WriteAllText(Path.Combine(folder, "trainset_txt_img_cat.list"), train.ToString());
        File.WriteAllText(Path.Combine(folder, "testset_txt_img_cat.list"), test.ToString());

        File.Delete(Path.Combine(folder, TextFile(scenes[1])));
        File.Delete(Path.Combine(folder, ImageFile(scenes[2])));
        ExpectedSkip[] skips =
        [
            new(TextId(scenes[1]), TextFile(scenes[1]), Faults.MissingText),
            new(TextId(scenes[2]), ImageFile(scenes[2]), Faults.MissingImage),
        ];
        return new RawSample("wikipedia", folder, scenes.Count - skips.Length, skips);
    }

    private static string TextId(Scene scene) => string.Create(CultureInfo.InvariantCulture, $"t{scene.Index:D4}");
    private static string ImageId(Scene scene) => string.Create(CultureInfo.InvariantCulture, $"i{scene.Index:D4}");
    private static string TextFile(Scene scene) => $"texts/{TextId(scene)}.xml";
    private static string ImageFile(Scene scene) => $"images/{Classes[(int)scene.Shapes[0].Kind]}/{ImageId(scene)}.jpg";
}
