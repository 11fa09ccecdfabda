namespace SemiCmr.Ml.Samples;

/// <summary>An item the importer must skip, with the file it names and the reason it must give.</summary>
public sealed record ExpectedSkip(string Item, string File, string Reason);

/// <summary>One generated raw dataset: its import format, folder, how many items import and which are skipped.</summary>
public sealed record RawSample(string Format, string Folder, int Items, IReadOnlyList<ExpectedSkip> Skips);

/// <summary>
/// Raw image-text datasets in every import layout (manifest, captions file + images/, Wikipedia layout), made
/// of rendered shape scenes, each with a few deliberately broken items so that the import report has something
/// to say. Everything follows from the seed; a few hundred scenes take a second or two.
/// </summary>
public static class RawSamples
{
    public const int DefaultScenes = 120;
    public const int MinimumScenes = 20;

    /// <summary>Writes manifest/, captions/ and wikipedia/ under <paramref name="folder"/>.</summary>
    public static IReadOnlyList<RawSample> Write(string folder, int scenes = DefaultScenes, int seed = 1) =>
    [
        WriteManifest(Path.Combine(folder, "manifest"), scenes, seed),
        CaptionsLayout.Write(Path.Combine(folder, "captions"), Generate(scenes, seed)),
        WikipediaLayout.Write(Path.Combine(folder, "wikipedia"), Generate(scenes, seed)),
    ];

    /// <summary>
    /// items.csv + images/*.png, multi-label (colours and shapes), every 25th item without labels. With faults:
    /// one image missing, one truncated, one not an image at all, one empty text.
    /// </summary>
    public static RawSample WriteManifest(string folder, int scenes = DefaultScenes, int seed = 1, bool faults = true)
    {
        var written = SceneManifest.Write(folder, Generate(scenes, seed), unlabeledEvery: 25);
        if (!faults) return new RawSample("manifest", folder, written.Count, []);

        string Image(int i) => $"images/{SceneManifest.IdOf(written[i])}.png";
        File.Delete(Path.Combine(folder, Image(1)));
        Faults.Truncate(Path.Combine(folder, Image(2)));
        File.WriteAllText(Path.Combine(folder, Image(3)), "this file is not an image");
        Faults.ReplaceInFile(Path.Combine(folder, "items.csv"), $"{Image(4)},\"{written[4].Caption}\"", $"{Image(4)},\"   \"");
        ExpectedSkip[] skips =
        [
            new(SceneManifest.IdOf(written[1]), Image(1), Faults.MissingImage),
            new(SceneManifest.IdOf(written[2]), Image(2), Faults.TruncatedPng),
            new(SceneManifest.IdOf(written[3]), Image(3), Faults.NotAnImage),
            new(SceneManifest.IdOf(written[4]), "items.csv", Faults.EmptyText),
        ];
        return new RawSample("manifest", folder, written.Count - skips.Length, skips);
    }

    internal static IReadOnlyList<Scene> Generate(int scenes, int seed)
    {
        if (scenes < MinimumScenes)
            throw new ArgumentOutOfRangeException(nameof(scenes), scenes, $"Raw samples need at least {MinimumScenes} scenes.");
        return ShapeScenes.Generate(scenes, seed);
    }
}
