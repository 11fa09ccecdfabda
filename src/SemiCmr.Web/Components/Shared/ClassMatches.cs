using SemiCmr.Ml.Analysis;

namespace SemiCmr.Web.Components.Shared;

/// <summary>The classes a picker offers for what the user typed: bounded, so a dataset with thousands of classes stays light.</summary>
public static class ClassMatches
{
    /// <summary>
    /// Classes containing <paramref name="text"/> (any case), those starting with it first, at most
    /// <see cref="ClassLimits.MaxShown"/> + 1: one more than a picker lists, so it can say that more match.
    /// </summary>
    public static IEnumerable<string> Find(IReadOnlyList<string> classes, string? text)
    {
        text = text?.Trim() ?? "";
        return classes.Where(c => c.Contains(text, StringComparison.OrdinalIgnoreCase))
            .OrderBy(c => c.StartsWith(text, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .Take(ClassLimits.MaxShown + 1)
            .ToList();
    }
}
