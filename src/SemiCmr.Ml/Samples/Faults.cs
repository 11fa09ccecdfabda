using System.Text;

namespace SemiCmr.Ml.Samples;

/// <summary>The deliberate faults of the raw samples and the reasons the importer gives for them.</summary>
internal static class Faults
{
    public const string MissingImage = "the image file is missing";
    public const string MissingText = "the text file is missing";
    public const string EmptyText = "the text is empty";
    public const string TruncatedPng = "the PNG file is truncated (its IEND chunk is missing)";
    public const string TruncatedJpeg = "the JPEG file is truncated (its end marker is missing)";
    public const string NotAnImage = "the file is not a supported image (JPEG, PNG, GIF, BMP or WebP)";

    /// <summary>Keeps the first two thirds of a file: its header stays readable, its end is gone.</summary>
    public static void Truncate(string path)
    {
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);
    }

    public static void ReplaceInFile(string path, string oldText, string newText)
    {
        string text = File.ReadAllText(path);
        if (!text.Contains(oldText, StringComparison.Ordinal))
            throw new InvalidOperationException($"'{oldText}' is not in {Path.GetFileName(path)}.");
        File.WriteAllText(path, text.Replace(oldText, newText, StringComparison.Ordinal), new UTF8Encoding(false));
    }
}
