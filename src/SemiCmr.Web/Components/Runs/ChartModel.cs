using System.Globalization;

namespace SemiCmr.Web.Components.Runs;

public readonly record struct ChartPoint(double X, double Y);

/// <summary>One line of a <see cref="LineChart"/>; Color is any CSS colour (palette variables work).</summary>
public sealed record ChartLine(string Name, IReadOnlyList<ChartPoint> Points, string Color, bool Dashed = false);

/// <summary>Maps data to SVG coordinates and picks round tick values.</summary>
public sealed record ChartScale(double Min, double Max)
{
    /// <summary>A range covering the values, widened to round ticks; a flat or empty range gets some room.</summary>
    public static ChartScale Covering(IEnumerable<double> values, double? fixedMin = null, double? fixedMax = null)
    {
        var finite = values.Where(double.IsFinite).ToList();
        double min = fixedMin ?? (finite.Count > 0 ? finite.Min() : 0), max = fixedMax ?? (finite.Count > 0 ? finite.Max() : 1);
        if (max - min < 1e-12)
        {
            double pad = Math.Abs(max) > 1e-12 ? Math.Abs(max) * 0.1 : 1;
            if (fixedMin is null) min -= pad;
            if (fixedMax is null) max += pad;
        }
        double step = Step(min, max);
        if (fixedMin is null) min = Math.Floor(min / step) * step;
        if (fixedMax is null) max = Math.Ceiling(max / step) * step;
        return new ChartScale(min, max);
    }

    /// <summary>About five round ticks (1, 2 or 5 times a power of ten) from Min to Max.</summary>
    public IReadOnlyList<double> Ticks()
    {
        double step = Step(Min, Max);
        var ticks = new List<double>();
        for (double t = Math.Ceiling(Min / step - 1e-9) * step; t <= Max + step * 1e-9; t += step) ticks.Add(Math.Abs(t) < step * 1e-9 ? 0 : t);
        return ticks;
    }

    /// <summary>Position of <paramref name="value"/> in [from, to] (to may be smaller, for a y axis drawn downwards).</summary>
    public double Map(double value, double from, double to) => Max - Min < 1e-300 ? from : from + (value - Min) / (Max - Min) * (to - from);

    public string Label(double value)
    {
        double step = Step(Min, Max);
        int decimals = Math.Clamp((int)Math.Ceiling(-Math.Log10(step)), 0, 6);
        return value.ToString("F" + decimals, CultureInfo.InvariantCulture);
    }

    private static double Step(double min, double max)
    {
        double span = Math.Max(max - min, 1e-12), raw = span / 5, power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double unit = raw / power;
        return (unit < 1.5 ? 1 : unit < 3.5 ? 2 : unit < 7.5 ? 5 : 10) * power;
    }
}

/// <summary>Colours of series and classes: well-separated MudBlazor palette variables first, then fixed hues that read on light and dark.</summary>
public static class ChartColors
{
    private static readonly string[] Palette =
    [
        "var(--mud-palette-primary)", "var(--mud-palette-warning)", "var(--mud-palette-success)", "var(--mud-palette-error)",
        "#8e6cef", "var(--mud-palette-info)", "#d4526e", "#13a89e", "#a5978b", "#f9a3a4", "#7a9e15", "#5b8ff9",
    ];

    public static string At(int index) => Palette[((index % Palette.Length) + Palette.Length) % Palette.Length];

    public static string Format(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
