using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Import;

public sealed class ImportSettings : CommandSettings
{
    [CommandOption("--source <DIR>", isRequired: true)]
    [Description("Raw dataset folder: items.csv (manifest or features), captions.csv with images/, or the Wikipedia layout.")]
    public string Source { get; set; } = "";

    [CommandOption("--out <DIR>", isRequired: true)]
    [Description("Folder to write the stored dataset to (items.csv, feature .npy files, images, thumbnails, encoders); must be new or empty.")]
    public string Out { get; set; } = "";

    [CommandOption("--text-encoder <KIND>")]
    [Description("minilm (all-MiniLM-L6-v2, 384-d, English) or tfidf (word and character n-grams fitted on the train split, any language).")]
    [DefaultValue("minilm")]
    public string TextEncoder { get; set; } = "minilm";

    [CommandOption("--seed <S>")]
    [Description("Seed of the 80/20 train/test split for items that come without a split.")]
    [DefaultValue(0)]
    public int Seed { get; set; }

    [CommandOption("--max-text-chars <N>")]
    [Description("The most characters of text kept per item; longer texts are cut and listed in the import report.")]
    [DefaultValue(SemiCmr.Ml.Import.RawImportSettings.DefaultMaxTextChars)]
    public int MaxTextChars { get; set; } = SemiCmr.Ml.Import.RawImportSettings.DefaultMaxTextChars;

    [CommandOption("--threads <N>")]
    [Description("Threads for decoding and encoding images and for the text encoder; 0 uses every core.")]
    [DefaultValue(0)]
    public int Threads { get; set; }

    public override ValidationResult Validate()
    {
        if (Threads < 0) return ValidationResult.Error($"--threads must be 0 (every core) or more, got {Threads}.");
        if (TextEncoder.ToLowerInvariant() is not ("minilm" or "tfidf"))
            return ValidationResult.Error($"--text-encoder must be minilm or tfidf, got '{TextEncoder}'.");
        return MaxTextChars >= 1 ? ValidationResult.Success() : ValidationResult.Error($"--max-text-chars must be 1 or more, got {MaxTextChars}.");
    }
}
