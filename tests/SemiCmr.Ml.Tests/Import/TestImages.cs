using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace SemiCmr.Ml.Tests.Import;

/// <summary>Small images written by the tests themselves (none of them comes from a dataset).</summary>
public static class TestImages
{
    /// <summary>A 16x12 CMYK JPEG (Adobe APP14), made once with ImageMagick: ImageSharp 2 cannot write CMYK.</summary>
    public static byte[] CmykJpeg { get; } = Convert.FromBase64String(
        "/9j/7gAOQWRvYmUAZAAAAAAC/9sAQwADAgIDAgIDAwMDBAMDBAUIBQUEBAUKBwcGCAwKDAwLCgsLDQ4SEA0OEQ4LCxAWEBETFBUVFQwPFxgWFBgSFBUU/9sAQwEDBAQFBAUJBQUJFA0LDRQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQU/8AAFAgADAAQBAERAAIRAQMRAQQRAP/EABYAAQEBAAAAAAAAAAAAAAAAAAAIB//EACIQAAECAwkAAAAAAAAAAAAAAAABVAQGkgMFFBYXGFOx0f/EABYBAQEBAAAAAAAAAAAAAAAAAAAJB//EACARAAECBQUAAAAAAAAAAAAAAAABBAMFFBVRFhdSU5H/2gAOBAEAAhEDEQQAAD8A27HXgzt6TO96G+VJwaWmPSvhTO5eY2kXSox14M7ekb0N8qNLTHpXwbl5jaRdKlC5dgeFCfFVFyU5sbHgUXpVLjLrwZdgeFBVRcixseA0qlxl14f/2Q==");

    /// <summary>A 32x24 progressive JPEG, made once with ImageMagick: ImageSharp 2 writes baseline only.</summary>
    public static byte[] ProgressiveJpeg { get; } = Convert.FromBase64String(
        "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAUDBAQEAwUEBAQFBQUGBwwIBwcHBw8LCwkMEQ8SEhEPERETFhwXExQaFRERGCEYGh0dHx8fExciJCIeJBweHx7/2wBDAQUFBQcGBw4ICA4eFBEUHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh7/wgARCAAYACADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAAAAYF/8QAFgEBAQEAAAAAAAAAAAAAAAAAAAYF/9oADAMBAAIQAxAAAAHHVSHx5VVCqEvRgf/EABUQAQEAAAAAAAAAAAAAAAAAAAAT/9oACAEBAAEFAoIIIIIIIIIIIP/EABcRAQADAAAAAAAAAAAAAAAAAAACExT/2gAIAQMBAT8BxsaqKqL/xAAXEQEAAwAAAAAAAAAAAAAAAAAAAhMU/9oACAECAQE/Adratktk/8QAFBABAAAAAAAAAAAAAAAAAAAAMP/aAAgBAQAGPwJP/8QAFRABAQAAAAAAAAAAAAAAAAAAAHH/2gAIAQEAAT8hlKUpSlKUpS//2gAMAwEAAgADAAAAEAQQQf/EABYRAQEBAAAAAAAAAAAAAAAAAABhcf/aAAgBAwEBPxDDCCD/xAAWEQEBAQAAAAAAAAAAAAAAAAAAYXH/2gAIAQIBAT8Q22uu/8QAFxAAAwEAAAAAAAAAAAAAAAAAABHwMP/aAAgBAQABPxDBVVZRKJRKP//Z");

    /// <summary>A noisy RGB image (noise keeps JPEG files from being trivially small), as JPEG bytes.</summary>
    public static byte[] Jpeg(int width, int height, int seed = 1)
    {
        using var image = Noise(width, height, seed);
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new JpegEncoder { Quality = 90 });
        return stream.ToArray();
    }

    public static Image<Rgba32> Noise(int width, int height, int seed)
    {
        var random = new Random(seed);
        var image = new Image<Rgba32>(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                image[x, y] = new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
        return image;
    }

    public static byte[] Encode(Image image, Action<Image, Stream> save)
    {
        using var stream = new MemoryStream();
        save(image, stream);
        return stream.ToArray();
    }

    /// <summary>A real small JPEG whose frame header claims 60000x60000 pixels: a decompression bomb's header.</summary>
    public static byte[] BombJpeg()
    {
        var bytes = Jpeg(16, 16);
        for (int i = 2; i + 8 < bytes.Length; i++)
        {
            // SOF0..SOF2 segment: FF C0-C2, length (2), precision (1), height (2), width (2).
            if (bytes[i] == 0xFF && bytes[i + 1] is 0xC0 or 0xC1 or 0xC2)
            {
                bytes[i + 5] = 0xEA; bytes[i + 6] = 0x60; // 60000
                bytes[i + 7] = 0xEA; bytes[i + 8] = 0x60;
                return bytes;
            }
        }
        throw new InvalidOperationException("no SOF marker found");
    }

    /// <summary>The first half of a JPEG: no end marker, the scan data cut in the middle.</summary>
    public static byte[] TruncatedJpeg() => Jpeg(64, 64)[..(Jpeg(64, 64).Length / 2)];
}
