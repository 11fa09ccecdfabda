using SemiCmr.Ml.Import;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SemiCmr.Ml.Features;

/// <summary>A decoded image ready for features and thumbnails, and the extension its original file should keep.</summary>
public sealed record LoadedImage(Image<Rgb24> Pixels, string Extension) : IDisposable
{
    public void Dispose() => Pixels.Dispose();
}

/// <summary>
/// Turns image bytes into upright RGB pixels on white. Every check that can be made from the header is made
/// before decoding, so a small file that declares a huge canvas is refused without allocating it.
/// </summary>
public static class ImageLoader
{
    private static readonly Configuration Config = CreateConfiguration();

    public static LoadedImage Load(byte[] bytes, ImageLimits limits)
    {
        if (bytes.LongLength > limits.MaxFileBytes)
            throw new ImageRejectedException($"the file is {bytes.LongLength / 1_048_576.0:0.#} MB, more than the limit of {limits.MaxFileBytes / 1_048_576.0:0.#} MB");
        if (bytes.Length == 0) throw new ImageRejectedException("the file is empty");

        IImageInfo? info;
        IImageFormat? format;
        try { info = Image.Identify(Config, bytes, out format); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ImageRejectedException($"the image header cannot be read ({e.Message})");
        }
        if (info is null || format is null)
            throw new ImageRejectedException("the file is not a supported image (JPEG, PNG, GIF, BMP or WebP)");
        CheckSize(info.Width, info.Height, limits);
        CheckComplete(bytes, format);

        Image<Rgba32> image;
        try { image = Image.Load<Rgba32>(Config, bytes); }
        // Damaged files surface as many exception types from the decoders; all mean the same to the user.
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ImageRejectedException($"the image data is damaged and cannot be decoded ({e.Message})");
        }
        using (image)
        {
            while (image.Frames.Count > 1) image.Frames.RemoveFrame(image.Frames.Count - 1);
            image.Mutate(x => x.AutoOrient());
            CompositeOnWhite(image);
            var rgb = image.CloneAs<Rgb24>();
            rgb.Metadata.ExifProfile = null;
            return new LoadedImage(rgb, ExtensionOf(format));
        }
    }

    private static void CheckSize(int width, int height, ImageLimits limits)
    {
        if (width <= 0 || height <= 0)
            throw new ImageRejectedException($"the header declares an empty image ({width}x{height})");
        if (width > limits.MaxWidth || height > limits.MaxHeight || (long)width * height > limits.MaxPixels)
            throw new ImageRejectedException(
                $"the header declares {width}x{height} pixels, more than the limit ({limits.MaxWidth}x{limits.MaxHeight}, {limits.MaxPixels / 1e6:0.#} megapixels): refused as a possible decompression bomb");
        // Encoding scales the shorter side up to 256 pixels before cropping, so a sliver (20000x1) would
        // become gigabytes of pixels from a file of a few bytes.
        if (Math.Max(width, height) > MaxAspectRatio * (long)Math.Min(width, height))
            throw new ImageRejectedException(
                $"the header declares {width}x{height} pixels, an aspect ratio over {MaxAspectRatio}:1: refused as a possible decompression bomb");
    }

    /// <summary>The longest side may be at most this many times the shortest (panoramas are about 10:1).</summary>
    public const int MaxAspectRatio = 50;

    /// <summary>
    /// ImageSharp fills the missing part of a cut-off JPEG or PNG with grey instead of failing, so look for
    /// the end marker ourselves. Some cameras pad after the JPEG end marker, hence the search window.
    /// </summary>
    private static void CheckComplete(byte[] bytes, IImageFormat format)
    {
        const int Window = 1024;
        var tail = bytes.AsSpan(Math.Max(0, bytes.Length - Window));
        if (format.Name == "JPEG" && tail.IndexOf([(byte)0xFF, (byte)0xD9]) < 0)
            throw new ImageRejectedException("the JPEG file is truncated (its end marker is missing)");
        if (format.Name == "PNG" && tail.IndexOf("IEND"u8) < 0)
            throw new ImageRejectedException("the PNG file is truncated (its IEND chunk is missing)");
    }

    private static void CompositeOnWhite(Image<Rgba32> image)
    {
        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < accessor.Height; y++)
            {
                foreach (ref var p in accessor.GetRowSpan(y))
                {
                    if (p.A == 255) continue;
                    int a = p.A, white = 255 * (255 - a);
                    p = new Rgba32((byte)((p.R * a + white + 127) / 255), (byte)((p.G * a + white + 127) / 255), (byte)((p.B * a + white + 127) / 255), 255);
                }
            }
        });
    }

    private static string ExtensionOf(IImageFormat format) => format.Name switch
    {
        "JPEG" => "jpg",
        "PNG" => "png",
        "GIF" => "gif",
        "BMP" => "bmp",
        "Webp" or "WEBP" or "WebP" => "webp",
        _ => format.FileExtensions.FirstOrDefault() ?? "img",
    };

    private static Configuration CreateConfiguration()
    {
        // Items are decoded on parallel workers already; nested parallelism inside ImageSharp only adds contention.
        var config = Configuration.Default.Clone();
        config.MaxDegreeOfParallelism = 1;
        config.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First });
        return config;
    }
}
