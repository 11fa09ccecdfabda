using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SemiCmr.Ml.Samples;

/// <summary>
/// Draws a scene with plain pixel writes: each pixel takes the colour of the last shape that covers its centre
/// (circle by distance, square by box, triangle by edge functions), on a light background with a faint gradient.
/// </summary>
public static class SceneRasterizer
{
    public static Image<Rgb24> Draw(Scene scene)
    {
        int size = ShapeScenes.Size;
        var image = new Image<Rgb24>(size, size);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    byte shade = (byte)(236 - (x + y) / 16);
                    var pixel = new Rgb24(shade, shade, (byte)Math.Min(255, shade + 6));
                    foreach (var shape in scene.Shapes)
                        if (Covers(shape, x + 0.5, y + 0.5)) pixel = new Rgb24(shape.Colour.R, shape.Colour.G, shape.Colour.B);
                    row[x] = pixel;
                }
            }
        });
        return image;
    }

    public static bool Covers(Shape shape, double x, double y)
    {
        double dx = x - shape.CenterX, dy = y - shape.CenterY, h = shape.HalfSize;
        return shape.Kind switch
        {
            ShapeKind.Circle => dx * dx + dy * dy <= h * h,
            ShapeKind.Square => Math.Abs(dx) <= h * 0.85 && Math.Abs(dy) <= h * 0.85,
            _ => InTriangle(dx, dy, h),
        };
    }

    /// <summary>An upright triangle with its apex at (0, -h) and its base at y = +h.</summary>
    private static bool InTriangle(double x, double y, double h)
    {
        static double Edge(double ax, double ay, double bx, double by, double px, double py) => (bx - ax) * (py - ay) - (by - ay) * (px - ax);
        double e1 = Edge(0, -h, h, h, x, y), e2 = Edge(h, h, -h, h, x, y), e3 = Edge(-h, h, 0, -h, x, y);
        return (e1 >= 0 && e2 >= 0 && e3 >= 0) || (e1 <= 0 && e2 <= 0 && e3 <= 0);
    }
}
