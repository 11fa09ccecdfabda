using SemiCmr.Ml.Features;
using SemiCmr.Ml.Import;
using SemiCmr.Ml.Tests.Import;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace SemiCmr.Ml.Tests.Features;

public sealed class ImageLoaderTests
{
    private static LoadedImage Load(byte[] bytes) => ImageLoader.Load(bytes, ImageLimits.Default);

    [Fact]
    public void EveryListedFormatDecodesAndKeepsItsExtension()
    {
        using var source = TestImages.Noise(12, 10, seed: 5);
        var cases = new (byte[] Bytes, string Extension)[]
        {
            (TestImages.Encode(source, (i, s) => i.SaveAsJpeg(s)), "jpg"),
            (TestImages.ProgressiveJpeg, "jpg"),
            (TestImages.CmykJpeg, "jpg"),
            (TestImages.Encode(source, (i, s) => i.SaveAsJpeg(s, new JpegEncoder { ColorType = JpegColorType.Luminance })), "jpg"),
            (TestImages.Encode(source, (i, s) => i.SaveAsPng(s)), "png"),
            (TestImages.Encode(source, (i, s) => i.SaveAsBmp(s)), "bmp"),
            (TestImages.Encode(source, (i, s) => i.SaveAsWebp(s)), "webp"),
            (TestImages.Encode(source, (i, s) => i.SaveAsGif(s)), "gif"),
        };
        foreach (var (bytes, extension) in cases)
        {
            using var image = Load(bytes);
            Assert.Equal(extension, image.Extension);
            Assert.True(image.Pixels.Width > 0);
        }
    }

    [Fact]
    public void CmykJpegComesOutInItsColours()
    {
        using var image = Load(TestImages.CmykJpeg);
        // A red-to-blue gradient, top to bottom.
        var top = image.Pixels[8, 0];
        var bottom = image.Pixels[8, 11];
        Assert.True(top.R > 200 && top.B < 60, $"top {top}");
        Assert.True(bottom.B > 200 && bottom.R < 60, $"bottom {bottom}");
    }

    [Fact]
    public void TransparentPixelsAreCompositedOnWhite()
    {
        using var source = new Image<Rgba32>(4, 4, new Rgba32(0, 0, 0, 0));
        source[1, 1] = new Rgba32(0, 0, 255, 128);
        using var image = Load(TestImages.Encode(source, (i, s) => i.SaveAsPng(s)));
        Assert.Equal(new Rgb24(255, 255, 255), image.Pixels[0, 0]);
        Assert.Equal(new Rgb24(127, 127, 255), image.Pixels[1, 1]);
    }

    [Fact]
    public void ExifOrientationIsApplied()
    {
        using var source = TestImages.Noise(40, 20, seed: 1);
        source.Metadata.ExifProfile = new ExifProfile();
        source.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6); // rotate 90 degrees clockwise to display
        using var image = Load(TestImages.Encode(source, (i, s) => i.SaveAsJpeg(s)));
        Assert.Equal((20, 40), (image.Pixels.Width, image.Pixels.Height));
    }

    [Fact]
    public void AnimatedGifGivesItsFirstFrame()
    {
        using var gif = new Image<Rgba32>(8, 8, new Rgba32(255, 0, 0));
        using var blue = new Image<Rgba32>(8, 8, new Rgba32(0, 0, 255));
        gif.Frames.AddFrame(blue.Frames.RootFrame);
        using var image = Load(TestImages.Encode(gif, (i, s) => i.SaveAsGif(s, new GifEncoder())));
        Assert.True(image.Pixels[4, 4].R > 200 && image.Pixels[4, 4].B < 50);
    }

    [Fact]
    public void LimitsAreCheckedBeforeDecoding()
    {
        var bytes = TestImages.Jpeg(64, 48);
        var tooWide = Assert.Throws<ImageRejectedException>(() => ImageLoader.Load(bytes, ImageLimits.Default with { MaxWidth = 32 }));
        Assert.Contains("64x48", tooWide.Message);
        var tooBig = Assert.Throws<ImageRejectedException>(() => ImageLoader.Load(bytes, ImageLimits.Default with { MaxFileBytes = 100 }));
        Assert.Contains("MB", tooBig.Message);
        Assert.Contains("decompression bomb", Assert.Throws<ImageRejectedException>(() => Load(TestImages.BombJpeg())).Message);
        Assert.Contains("truncated", Assert.Throws<ImageRejectedException>(() => Load(TestImages.TruncatedJpeg())).Message);
    }

    [Fact]
    public void ASliverImageIsRefusedBeforeItIsScaledUp()
    {
        using var sliver = new Image<Rgba32>(2000, 1);
        var bytes = TestImages.Encode(sliver, (image, stream) => image.SaveAsPng(stream));
        var error = Assert.Throws<ImageRejectedException>(() => Load(bytes));
        Assert.Contains("2000x1", error.Message);
        Assert.Contains("aspect ratio", error.Message);
    }
}
