namespace SemiCmr.Ml.Data;

/// <summary>One thing wrong with an input, located as precisely as the input allows.</summary>
public sealed record DatasetProblem(string File, int? Row, string? Column, string Message)
{
    public override string ToString()
    {
        var where = File;
        if (Row is not null) where += $", row {Row}";
        if (Column is not null) where += $", column '{Column}'";
        return $"{where}: {Message}";
    }
}

/// <summary>Thrown when a dataset is refused; lists every problem found, not only the first.</summary>
public sealed class DatasetValidationException(IReadOnlyList<DatasetProblem> problems)
    : Exception(FormatMessage(problems))
{
    public IReadOnlyList<DatasetProblem> Problems { get; } = problems;

    private static string FormatMessage(IReadOnlyList<DatasetProblem> problems) =>
        $"The dataset has {problems.Count} problem(s):" + string.Concat(problems.Select(p => Environment.NewLine + "  " + p));
}
