using System.Globalization;

namespace SemiCmr.Web.Components.Shared;

/// <summary>How numbers and durations look everywhere in the UI (invariant digits, so screenshots and tests agree); times are <see cref="LocalTime"/>'s.</summary>
public static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public const string Missing = "\u2014";

    /// <summary>MAP and other scores in [0, 1]: three decimals.</summary>
    public static string Map(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("0.000", Invariant) : Missing;

    /// <summary>A fraction as a percentage, e.g. 0.1 -> "10%", 0.125 -> "12.5%".</summary>
    public static string Percent(double? fraction) =>
        fraction is { } f && double.IsFinite(f) ? (f * 100).ToString("0.#", Invariant) + "%" : Missing;

    public static string Count(long value) => value.ToString("N0", Invariant);

    /// <summary>Bytes in the largest unit that keeps the number at least 1: "1 GB", "20 MB", "512 B".</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return value.ToString(unit == 0 || value >= 100 ? "0" : "0.#", Invariant) + " " + units[unit];
    }

    /// <summary>"1 h 05 min", "3 min 07 s", "12 s", "0.4 s".</summary>
    public static string Duration(TimeSpan? span)
    {
        if (span is not { } d) return Missing;
        if (d < TimeSpan.Zero) d = TimeSpan.Zero;
        if (d.TotalHours >= 1) return $"{(int)d.TotalHours} h {d.Minutes:00} min";
        if (d.TotalMinutes >= 1) return $"{d.Minutes} min {d.Seconds:00} s";
        if (d.TotalSeconds >= 10) return $"{(int)d.TotalSeconds} s";
        return d.TotalSeconds.ToString("0.#", Invariant) + " s";
    }

    public static string Seconds(double? seconds) => seconds is { } s && double.IsFinite(s) ? Duration(TimeSpan.FromSeconds(s)) : Missing;
}
