namespace SemiCmr.Ml.Import;

/// <summary>How texts become feature vectors when the dataset does not bring its own.</summary>
public enum TextEncoderKind { MiniLm, Tfidf }

/// <summary>Header limits checked before any pixel is decoded (defence against decompression bombs).</summary>
public sealed record ImageLimits(long MaxFileBytes, int MaxWidth, int MaxHeight, long MaxPixels)
{
    /// <summary>50 MB files, 20000 px per side, 40 megapixels (an Rgba32 decode of that is 160 MB).</summary>
    public static ImageLimits Default { get; } = new(50L << 20, 20_000, 20_000, 40_000_000);
}

/// <param name="TfidfDimensions">Upper bound on the TF-IDF vocabulary (half word n-grams, half character n-grams).</param>
/// <param name="Seed">Seeds the 80/20 train/test split of items that come without a split.</param>
/// <param name="ReadableRoots">Folders an item's files may lie in once symbolic links are resolved; an item
/// whose file a link takes elsewhere is skipped. Null: the source folder only. The app passes its allowed
/// import roots; the CLI, reading the user's own files, passes the file-system root.</param>
/// <param name="MaxTextChars">The most characters of text stored per item; longer texts are cut and reported
/// (a 50 MB text would otherwise be stored, encoded and returned whole).</param>
/// <param name="Threads">Threads that decode and encode images and run the text encoder; 0 uses every core. The
/// import runs on its own low-priority threads (<see cref="Runtime.BackgroundWork"/>), so the app passes fewer
/// than its cores to leave one for requests.</param>
public sealed record RawImportSettings(
    TextEncoderKind TextEncoder = TextEncoderKind.MiniLm,
    int Seed = 0,
    int TfidfDimensions = 2048,
    ImageLimits? Limits = null,
    IReadOnlyList<string>? ReadableRoots = null,
    int MaxTextChars = RawImportSettings.DefaultMaxTextChars,
    int Threads = 0)
{
    public const int DefaultMaxTextChars = 100_000;

    public int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;
}

/// <summary>An item left out of the import, with the file that caused it and why.</summary>
public sealed record SkippedItem(string Item, string File, string Reason);

/// <summary>An item whose text was longer than the cap: kept, with its text cut to <see cref="Chars"/> characters.</summary>
/// <param name="File">The text file, or the list file for an inline text.</param>
public sealed record TruncatedItem(string Item, string File, int Chars);

/// <param name="Format">manifest | wikipedia | captions | features.</param>
/// <param name="TextEncoder">minilm | tfidf | given.</param>
/// <param name="ImageEncoder">resnet18 | given.</param>
/// <param name="ImagesPerSecond">Images decoded and encoded per second in the images phase (0 when none were).</param>
/// <param name="Truncated">Imported items whose text was cut to the cap (RawImportSettings.MaxTextChars).</param>
public sealed record ImportReport(
    string Format,
    int Items,
    IReadOnlyList<SkippedItem> Skipped,
    string TextEncoder,
    string ImageEncoder,
    double Seconds,
    double ImagesPerSecond,
    IReadOnlyList<TruncatedItem> Truncated);

/// <param name="Phase">reading | images | texts | writing.</param>
public sealed record ImportProgress(string Phase, int Done, int Total, double ItemsPerSecond, TimeSpan? Remaining);
