namespace SemiCmr.Ml.Training;

/// <summary>
/// sscmr: the two-stage semi-supervised method. supervised: stage 2 on the labeled items only.
/// full: stage 2 with every true training label (the ceiling). cca: linear CCA on all training pairs.
/// </summary>
public enum Method { Sscmr, Supervised, Full, Cca }

public static class MethodNames
{
    public static Method Parse(string value) =>
        Enum.TryParse<Method>(value.Trim(), ignoreCase: true, out var method) && Enum.IsDefined(method)
            ? method
            : throw new ArgumentException($"Unknown method '{value}': use sscmr, supervised, full or cca.");

    public static string ToName(this Method method) => method.ToString().ToLowerInvariant();
}
