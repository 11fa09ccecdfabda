using System.Diagnostics;
using System.Text;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Features;

namespace SemiCmr.Ml.Import;

/// <summary>One import of a raw source: check texts, process images, encode texts, write the stored dataset.</summary>
internal sealed class RawImportRun(string source, string target, RawImportSettings settings,
    IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
{
    private const double TrainShare = 0.8;
    private readonly SkipList _skipped = new();
    private readonly List<(int Index, TruncatedItem Item)> _truncated = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public ImportReport Run(RawSource raw)
    {
        var candidates = raw.Candidates;
        var givenImages = GivenFeatures(FeatureDatasetReader.ImageFeaturesFile, candidates.Count);
        var givenTexts = GivenFeatures(FeatureDatasetReader.TextFeaturesFile, candidates.Count);
        var active = new bool[candidates.Count];
        var texts = ReadTexts(raw, active);

        Directory.CreateDirectory(Path.Combine(target, RawDatasetImporter.ImagesFolder));
        Directory.CreateDirectory(Path.Combine(target, RawDatasetImporter.ThumbnailsFolder));
        var imageMeter = new ProgressMeter(progress, "images", active.Count(a => a));
        var images = ImagePhase.Run(candidates, active, target, settings.Limits ?? ImageLimits.Default, givenImages is null, settings.EffectiveThreads, _skipped, imageMeter, cancellationToken);
        double imageSeconds = imageMeter.Elapsed.TotalSeconds;

        var rows = Enumerable.Range(0, candidates.Count).Where(i => active[i]).ToArray();
        if (rows.Length == 0)
            throw new DatasetValidationException(_skipped.InSourceOrder()
                .Select(s => new DatasetProblem(s.File, null, null, $"item '{s.Item}' skipped: {s.Reason}"))
                .Prepend(new DatasetProblem(Path.GetFileName(source), null, null, "no usable item is left: every item was skipped")).ToArray());

        var splits = Splits(rows.Select(i => candidates[i].Split).ToArray());
        var classNames = rows.SelectMany(i => candidates[i].Labels).Distinct().Order(StringComparer.Ordinal).ToArray();
        var classIndex = classNames.Select((name, index) => (name, index)).ToDictionary(p => p.name, p => p.index, StringComparer.Ordinal);
        var items = rows.Select((i, row) => new DatasetItem(candidates[i].Id, splits[row],
            candidates[i].Labels.Select(l => classIndex[l]).Distinct().Order().ToArray(),
            $"{RawDatasetImporter.ImagesFolder}/{row}.{images[i]!.Extension}", texts[i])).ToArray();

        var imageFeatures = givenImages?.SelectRows(rows) ?? Stack(rows.Select(i => images[i]!.Features!).ToArray(), ResNetImageEncoder.Dimensions);
        var (textFeatures, textKind, tfidf) = givenTexts is not null
            ? (givenTexts.SelectRows(rows), "given", null)
            : EncodeTexts(items);

        progress?.Report(new ImportProgress("writing", 0, 1, 0, null));
        cancellationToken.ThrowIfCancellationRequested();
        RenameToRows(rows, images);
        DatasetWriter.WriteItems(Path.Combine(target, FeatureDatasetReader.ItemsFile), items, classNames);
        Npy.Write(Path.Combine(target, FeatureDatasetReader.ImageFeaturesFile), imageFeatures);
        Npy.Write(Path.Combine(target, FeatureDatasetReader.TextFeaturesFile), textFeatures);
        DatasetWriter.WriteImageEncoder(target, given: givenImages is not null);
        DatasetWriter.WriteTextEncoder(target, textKind, tfidf);
        var report = new ImportReport(raw.Format, items.Length, _skipped.InSourceOrder(), textKind,
            givenImages is null ? "resnet18" : "given", _clock.Elapsed.TotalSeconds,
            givenImages is null && imageSeconds > 0 ? rows.Length / imageSeconds : 0,
            _truncated.Where(t => active[t.Index]).Select(t => t.Item).ToArray());
        DatasetWriter.WriteJson(Path.Combine(target, DatasetWriter.ReportFile), report);
        // The stored folder must be one that training can read (e.g. not all items in one split): check it as training will.
        FeatureDatasetReader.Read(target);
        progress?.Report(new ImportProgress("writing", 1, 1, 0, TimeSpan.Zero));
        return report;
    }

    /// <summary>Checks ids and reads every text; an item with a missing, unreadable or empty text is skipped.</summary>
    private string[] ReadTexts(RawSource raw, bool[] active)
    {
        var meter = new ProgressMeter(progress, "reading", raw.Candidates.Count);
        var texts = new string[raw.Candidates.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string listFile = raw.Format switch { "manifest" => ManifestSource.FileName, "captions" => CaptionsSource.FileName, _ => "" };
        for (int i = 0; i < raw.Candidates.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var c = raw.Candidates[i];
            string? reason = null;
            if (!seen.Add(c.Id)) reason = $"the id '{c.Id}' is used by an earlier item";
            else if ((LeadsOutside(c.ImagePath) ?? LeadsOutside(c.TextPath)) is { } link)
                reason = $"{link} is a link that leads outside the dataset folder";
            else if (c.TextPath is not null && !File.Exists(c.TextPath)) reason = "the text file is missing";
            else
            {
                try
                {
                    var text = c.TextPath is not null ? TextFiles.Read(c.TextPath, settings.MaxTextChars) : TextFiles.Cap((c.Text ?? "").Trim(), settings.MaxTextChars);
                    texts[i] = text.Text;
                    if (text.Truncated) _truncated.Add((i, new TruncatedItem(c.Id, c.TextFile ?? listFile, text.Text.Length)));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { reason = $"the text file cannot be read ({e.Message})"; }
                catch (DecoderFallbackException) { reason = "the text file is not valid UTF-8: save it as UTF-8"; }
                if (reason is null && string.IsNullOrWhiteSpace(texts[i])) reason = "the text is empty";
            }
            if (reason is null) active[i] = true;
            else _skipped.Add(i, new SkippedItem(c.Id, c.TextFile ?? listFile, reason));
            meter.Report(i + 1);
        }
        return texts;
    }

    /// <summary>The file's name when a symbolic link takes it outside the readable roots, else null.</summary>
    private string? LeadsOutside(string? path) =>
        path is not null && (File.Exists(path) || Directory.Exists(path))
            && !(settings.ReadableRoots ?? [source]).Any(root => RealPaths.IsInside(root, path)) ? Path.GetFileName(path) : null;

    private (FeatureMatrix, string, TfidfTextEncoder?) EncodeTexts(IReadOnlyList<DatasetItem> items)
    {
        var meter = new ProgressMeter(progress, "texts", items.Count);
        var texts = items.Select(item => item.Text!).ToArray();
        if (settings.TextEncoder == TextEncoderKind.MiniLm)
        {
            using var encoder = MiniLmTextEncoder.Create(settings.EffectiveThreads);
            var vectors = encoder.Encode(texts, meter.Report, cancellationToken);
            return (Stack(vectors, MiniLmTextEncoder.Dimensions), "minilm", null);
        }
        var train = items.Where(item => item.Split == Split.Train).Select(item => item.Text!).ToArray();
        var tfidf = TfidfTextEncoder.Fit(train.Length > 0 ? train : texts, settings.TfidfDimensions);
        var rows = new float[texts.Length][];
        for (int i = 0; i < texts.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            rows[i] = tfidf.Encode(texts[i]);
            meter.Report(i + 1);
        }
        return (Stack(rows, tfidf.Dimensions), "tfidf", tfidf);
    }

    /// <summary>Items that came without a split get a seeded 80/20 train/test split (at least one of each when there are two).</summary>
    private Split[] Splits(Split?[] given)
    {
        var missing = Enumerable.Range(0, given.Length).Where(i => given[i] is null).ToArray();
        new Random(settings.Seed).Shuffle(missing);
        int train = (int)Math.Round(missing.Length * TrainShare);
        if (missing.Length >= 2) train = Math.Clamp(train, 1, missing.Length - 1);
        var splits = given.Select(s => s ?? Split.Train).ToArray();
        for (int j = train; j < missing.Length; j++) splits[missing[j]] = Split.Test;
        return splits;
    }

    private FeatureMatrix? GivenFeatures(string file, int count)
    {
        if (!File.Exists(Path.Combine(source, file))) return null;
        var problems = new List<DatasetProblem>();
        var matrix = Npy.TryRead(Path.Combine(source, file), file, problems);
        if (matrix is not null && matrix.Rows != count)
            problems.Add(new DatasetProblem(file, null, null,
                $"the file has {matrix.Rows} rows but the dataset lists {count} items: given features must have one row per listed item, in list order"));
        if (problems.Count > 0) throw new DatasetValidationException(problems);
        return matrix;
    }

    /// <summary>Files were written under candidate indices; rows only shrink, so ascending renames never collide.</summary>
    private void RenameToRows(int[] rows, ImageOutcome?[] images)
    {
        for (int row = 0; row < rows.Length; row++)
        {
            int i = rows[row];
            if (i == row) continue;
            string ext = images[i]!.Extension;
            File.Move(Path.Combine(target, RawDatasetImporter.ImagesFolder, $"{i}.{ext}"), Path.Combine(target, RawDatasetImporter.ImagesFolder, $"{row}.{ext}"));
            File.Move(Path.Combine(target, RawDatasetImporter.ThumbnailsFolder, $"{i}.jpg"), Path.Combine(target, RawDatasetImporter.ThumbnailsFolder, $"{row}.jpg"));
        }
    }

    private static FeatureMatrix Stack(IReadOnlyList<float[]> rows, int columns)
    {
        var values = new float[(long)rows.Count * columns];
        for (int i = 0; i < rows.Count; i++) rows[i].CopyTo(values.AsSpan(i * columns, columns));
        return new FeatureMatrix(values, rows.Count, columns);
    }
}
