using SemiCmr.Ml.Budget;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.Budgets;

public sealed record CreateBudgetRequest(double? Ratio, int? Seed);

public sealed record SetLabeledRequest(bool? Labeled);

public sealed record SetLabelsRequest(IReadOnlyList<string>? Labels);

/// <summary>A saved budget: how it was chosen, which rows show their labels and the count per class.</summary>
public sealed record BudgetResponse(
    int Id, int DatasetId, BudgetKind Kind, double? Ratio, int? Count, int Seed, DateTime CreatedAt,
    IReadOnlyList<int> LabeledRows, BudgetPreview Preview);

/// <summary>One line of a budget list (the new-run form's choices).</summary>
public sealed record BudgetSummary(int Id, int DatasetId, BudgetKind Kind, double? Ratio, int Seed, int Labeled, int Candidates, DateTime CreatedAt)
{
    /// <summary>"10% (seed 1), 287 of 2,173 labeled" or "manual, 290 of 2,173 labeled".</summary>
    public string Describe() =>
        (Kind == BudgetKind.Manual || Ratio is null ? "manual" : $"{Components.Shared.Format.Percent(Ratio)} (seed {Seed})")
        + $", {Components.Shared.Format.Count(Labeled)} of {Components.Shared.Format.Count(Candidates)} labeled";
}

/// <summary>An item after annotation.</summary>
public sealed record ItemLabelsResponse(int Row, string ExternalId, IReadOnlyList<string> Labels);

/// <summary>An unlabeled train item whose stage-1 prediction was unsure: a good next one to label.</summary>
public sealed record LabelSuggestion(int Row, string ExternalId, IReadOnlyList<string> PredictedLabels, double Confidence, string? Text);

public sealed record SuggestionsResponse(int RunId, IReadOnlyList<LabelSuggestion> Items);
