using System.Globalization;
using System.IO.Compression;
using System.Text;
using SemiCmr.Ml.Data;

namespace SemiCmr.E2E;

/// <summary>
/// A feature-only dataset made on the spot: 60 items in 3 classes (36 train, 12 val, 12 test), 8-d image and 6-d
/// text features that carry the class plus noise, so a few epochs learn something.
/// </summary>
public static class FeatureDatasetZip
{
    public static readonly string[] Classes = ["alpha", "beta", "gamma"];

    public static string Write(string folder)
    {
        Directory.CreateDirectory(folder);
        const int items = 60;
        var random = new Random(7);
        var csv = new StringBuilder("id,split,labels\n");
        var image = new float[items * 8];
        var text = new float[items * 6];
        for (int i = 0; i < items; i++)
        {
            int label = i % 3;
            string split = i < 36 ? "train" : i < 48 ? "val" : "test";
            csv.Append(CultureInfo.InvariantCulture, $"item{i:00},{split},{Classes[label]}\n");
            for (int j = 0; j < 8; j++) image[i * 8 + j] = (j % 3 == label ? 2f : 0f) + (float)(random.NextDouble() - 0.5);
            for (int j = 0; j < 6; j++) text[i * 6 + j] = (j % 3 == label ? 1.5f : 0f) + (float)(random.NextDouble() - 0.5);
        }
        string zipPath = Path.Combine(folder, "tiny-features.zip");
        using var archive = ZipFile.Open(zipPath, ZipArchiveMode.Create);
        using (var writer = new StreamWriter(archive.CreateEntry("tiny/items.csv").Open())) writer.Write(csv.ToString());
        Add(archive, "tiny/image_features.npy", new FeatureMatrix(image, items, 8), folder);
        Add(archive, "tiny/text_features.npy", new FeatureMatrix(text, items, 6), folder);
        return zipPath;
    }

    private static void Add(ZipArchive archive, string entry, FeatureMatrix matrix, string folder)
    {
        string path = Path.Combine(folder, Path.GetFileName(entry));
        Npy.Write(path, matrix);
        archive.CreateEntryFromFile(path, entry);
    }
}
