using System.IO.Compression;
using System.Text;
using SemiCmr.Ml.Data;

namespace SemiCmr.Web.Tests;

/// <summary>Small hand-made feature datasets (good and broken) written under a test's import root.</summary>
public static class TinyDatasets
{
    /// <param name="labels">Labels of a, b (train) and c, d (test); cat, dog, cat, dog by default, "" for none.</param>
    public static string Write(string root, string name, int featureRows = 4, string dtype = "<f4", bool nan = false, string[]? labels = null)
    {
        string folder = Path.Combine(root, name);
        Directory.CreateDirectory(folder);
        var l = labels ?? ["cat", "dog", "cat", "dog"];
        File.WriteAllText(Path.Combine(folder, "items.csv"), $"id,split,labels\na,train,{l[0]}\nb,train,{l[1]}\nc,test,{l[2]}\nd,test,{l[3]}\n");
        var values = Enumerable.Range(0, featureRows * 3).Select(i => (float)Math.Sin(i)).ToArray();
        if (nan) values[4] = float.NaN;
        WriteNpy(Path.Combine(folder, "image_features.npy"), new FeatureMatrix(values, featureRows, 3), dtype);
        WriteNpy(Path.Combine(folder, "text_features.npy"), new FeatureMatrix(values, featureRows, 3), "<f4");
        return folder;
    }

    /// <summary>Writes float32 data; a different 3-character dtype is patched into the header to make a wrong-dtype file.</summary>
    private static void WriteNpy(string path, FeatureMatrix matrix, string dtype)
    {
        Npy.Write(path, matrix);
        if (dtype == "<f4") return;
        var bytes = File.ReadAllBytes(path);
        var header = Encoding.Latin1.GetString(bytes, 0, 128).Replace("'<f4'", $"'{dtype}'");
        Encoding.Latin1.GetBytes(header).CopyTo(bytes, 0);
        File.WriteAllBytes(path, bytes);
    }

    public static string Zip(string folder, string zipPath, string? extraEntry = null)
    {
        using var archive = ZipFile.Open(zipPath, ZipArchiveMode.Create);
        foreach (var file in Directory.GetFiles(folder))
            archive.CreateEntryFromFile(file, "dataset/" + Path.GetFileName(file));
        if (extraEntry is not null)
            using (var writer = new StreamWriter(archive.CreateEntry(extraEntry).Open())) writer.Write("x");
        return zipPath;
    }
}
