using System.Globalization;
using System.IO.Compression;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SemiCmr.E2E;

/// <summary>
/// A raw manifest dataset made on the spot: 45 PNG images in three colour classes with short captions that name
/// the colour (so TF-IDF text features and ResNet-18 image features both carry the class); 27 train, 9 val, 9 test.
/// </summary>
public static class RawDatasetZip
{
    private static readonly (string Label, Rgb24 Color, string[] Words)[] Classes =
    [
        ("red", new Rgb24(220, 40, 30), ["red", "fire", "tomato", "sunset"]),
        ("green", new Rgb24(40, 170, 60), ["green", "grass", "forest", "leaf"]),
        ("blue", new Rgb24(30, 70, 210), ["blue", "sea", "sky", "water"]),
    ];

    public static string Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var csv = new StringBuilder("id,split,labels,image,text\n");
        string zipPath = Path.Combine(folder, "tiny-raw.zip");
        using var archive = ZipFile.Open(zipPath, ZipArchiveMode.Create);
        var random = new Random(3);
        for (int i = 0; i < 45; i++)
        {
            var (label, color, words) = Classes[i % 3];
            string split = i < 27 ? "train" : i < 36 ? "val" : "test";
            string text = $"a {words[0]} picture of {words[1 + i / 3 % 3]} and {words[1 + (i / 3 + 1) % 3]}";
            csv.Append(CultureInfo.InvariantCulture, $"raw{i:00},{split},{label},images/raw{i:00}.png,{text}\n");
            using var image = Picture(color, i, random);
            using var stream = archive.CreateEntry($"tiny-raw/images/raw{i:00}.png").Open();
            image.SaveAsPng(stream);
        }
        using (var writer = new StreamWriter(archive.CreateEntry("tiny-raw/items.csv").Open())) writer.Write(csv.ToString());
        return zipPath;
    }

    /// <summary>Diagonal stripes in the class colour with some noise.</summary>
    private static Image<Rgb24> Picture(Rgb24 color, int shift, Random random)
    {
        var image = new Image<Rgb24>(48, 48);
        for (int y = 0; y < 48; y++)
            for (int x = 0; x < 48; x++)
            {
                int noise = random.Next(-30, 30), stripe = (x + y + shift) % 12 < 6 ? 25 : -25;
                image[x, y] = new Rgb24(Clamp(color.R + noise + stripe), Clamp(color.G + noise + stripe), Clamp(color.B + noise + stripe));
            }
        return image;
    }

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);

    /// <summary>One more picture of the given colour class, for searching by an uploaded image.</summary>
    public static string QueryImage(string folder, int colourClass)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, $"query-{Classes[colourClass].Label}.png");
        using var image = Picture(Classes[colourClass].Color, 5, new Random(11));
        image.SaveAsPng(path);
        return path;
    }
}
