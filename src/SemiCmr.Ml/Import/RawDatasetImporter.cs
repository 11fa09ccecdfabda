using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Import;

/// <summary>
/// Imports an image-text dataset folder (manifest, Wikipedia layout, captions file or feature-only) into a
/// stored dataset folder that <see cref="FeatureDatasetReader"/> reads: items.csv, both feature matrices,
/// image copies, thumbnails, the encoders needed for queries and an import report.
/// </summary>
public static class RawDatasetImporter
{
    public const string ImagesFolder = "images";
    public const string ThumbnailsFolder = "thumbnails";

    /// <summary>"manifest" | "wikipedia" | "captions" | "features", or null when no known layout is found. items.csv wins.</summary>
    public static string? DetectFormat(string sourceFolder)
    {
        if (!Directory.Exists(sourceFolder)) return null;
        if (File.Exists(Path.Combine(sourceFolder, ManifestSource.FileName)))
        {
            var header = CsvTable.Read(Path.Combine(sourceFolder, ManifestSource.FileName), ManifestSource.FileName);
            bool hasMedia = header.ColumnIndex("image") >= 0;
            bool hasFeatures = File.Exists(Path.Combine(sourceFolder, FeatureDatasetReader.ImageFeaturesFile))
                && File.Exists(Path.Combine(sourceFolder, FeatureDatasetReader.TextFeaturesFile));
            return !hasMedia && hasFeatures ? "features" : "manifest";
        }
        if (WikipediaSource.IsPresent(sourceFolder)) return "wikipedia";
        if (File.Exists(Path.Combine(sourceFolder, CaptionsSource.FileName))) return "captions";
        return null;
    }

    /// <summary>
    /// Imports <paramref name="sourceFolder"/> into <paramref name="targetFolder"/> (which must not exist or be
    /// empty). Throws <see cref="DatasetValidationException"/> when the source is unusable; on any failure,
    /// cancellation included, the target folder is deleted so no half dataset is left.
    /// </summary>
    public static ImportReport Import(string sourceFolder, string targetFolder, RawImportSettings settings,
        IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!Directory.Exists(sourceFolder))
            throw new DatasetValidationException([new DatasetProblem(sourceFolder, null, null, "the folder does not exist")]);
        if (Directory.Exists(targetFolder) && Directory.EnumerateFileSystemEntries(targetFolder).Any())
            throw new IOException($"The target folder {targetFolder} is not empty.");

        var source = Path.GetFullPath(sourceFolder);
        string format = DetectFormat(source) ?? throw new DatasetValidationException([new DatasetProblem(Path.GetFileName(source), null, null,
            "no known dataset layout: expected items.csv (manifest), captions.csv with images/, or the Wikipedia files categories.list and trainset_txt_img_cat.list / testset_txt_img_cat.list")]);
        try
        {
            Directory.CreateDirectory(targetFolder);
            return format == "features"
                ? FeatureOnlyImport.Run(source, targetFolder, settings.MaxTextChars, progress)
                : new RawImportRun(source, targetFolder, settings, progress, cancellationToken).Run(format switch
                {
                    "manifest" => ManifestSource.Read(source),
                    "wikipedia" => WikipediaSource.Read(source),
                    _ => CaptionsSource.Read(source),
                });
        }
        catch
        {
            try { Directory.Delete(targetFolder, recursive: true); }
            catch (DirectoryNotFoundException) { }
            throw;
        }
    }
}
