using SemiCmr.Ml.Features;
using SemiCmr.Ml.Runtime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Processing;

namespace SemiCmr.Ml.Import;

/// <summary>The stored result of one item's image: its copy's extension and, unless features were given, its ResNet row.</summary>
internal sealed record ImageOutcome(string Extension, float[]? Features);

/// <summary>
/// Decodes, checks, copies and thumbnails every candidate image and extracts its features, one image per
/// thread on the import's own low-priority threads: the ResNet model has a fixed batch of 1, and two
/// single-threaded runs side by side beat one run on two threads. Files are written under the candidate's
/// index and renamed to the final row afterwards.
/// </summary>
internal static class ImagePhase
{
    public const int ThumbnailSide = 256;
    private static readonly JpegEncoder ThumbnailEncoder = new() { Quality = 85 };

    public const string ThreadName = "SemiCmr images";

    public static ImageOutcome?[] Run(IReadOnlyList<RawCandidate> candidates, bool[] active, string target, ImageLimits limits,
        bool extract, int threads, SkipList skipped, ProgressMeter meter, CancellationToken cancellationToken)
    {
        var outcomes = new ImageOutcome?[candidates.Count];
        var encoder = extract ? ResNetImageEncoder.Shared : null;
        BackgroundWork.For(ThreadName, candidates.Count, threads, i =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!active[i]) return;
            var candidate = candidates[i];
            try
            {
                outcomes[i] = Process(candidate, i, target, limits, encoder);
            }
            catch (Exception e) when (e is ImageRejectedException or IOException or UnauthorizedAccessException)
            {
                string reason = e switch
                {
                    ImageRejectedException => e.Message,
                    FileNotFoundException or DirectoryNotFoundException => "the image file is missing",
                    _ => $"the image file cannot be read ({e.Message})",
                };
                skipped.Add(i, new SkippedItem(candidate.Id, candidate.ImageFile, reason));
                active[i] = false;
            }
            meter.Step();
        }, cancellationToken);
        return outcomes;
    }

    private static ImageOutcome Process(RawCandidate candidate, int index, string target, ImageLimits limits, ResNetImageEncoder? encoder)
    {
        var info = new FileInfo(candidate.ImagePath);
        if (!info.Exists) throw new FileNotFoundException();
        if (info.Length > limits.MaxFileBytes)
            throw new ImageRejectedException($"the file is {info.Length / 1_048_576.0:0.#} MB, more than the limit of {limits.MaxFileBytes / 1_048_576.0:0.#} MB");
        var bytes = File.ReadAllBytes(candidate.ImagePath);
        using var image = ImageLoader.Load(bytes, limits);
        var features = encoder?.Encode(image.Pixels);
        File.WriteAllBytes(Path.Combine(target, RawDatasetImporter.ImagesFolder, $"{index}.{image.Extension}"), bytes);
        SaveThumbnail(image, Path.Combine(target, RawDatasetImporter.ThumbnailsFolder, $"{index}.jpg"));
        return new ImageOutcome(image.Extension, features);
    }

    internal static void SaveThumbnail(LoadedImage image, string path)
    {
        using var thumbnail = image.Pixels.Clone(x =>
        {
            if (image.Pixels.Width > ThumbnailSide || image.Pixels.Height > ThumbnailSide)
                x.Resize(new ResizeOptions { Size = new Size(ThumbnailSide, ThumbnailSide), Mode = ResizeMode.Max });
        });
        thumbnail.SaveAsJpeg(path, ThumbnailEncoder);
    }
}
