namespace SemiCmr.Web.Budgets;

/// <summary>
/// The rows a label budget shows, as a query of items sends them (<see cref="BudgetCandidates.Rows"/>): the shown
/// candidates in row order, or, when <paramref name="AreHidden"/>, the candidates (train items with labels) it does not
/// show, whichever list is shorter. A budget of most of a million items then sends a short list with each query.
/// </summary>
public sealed record BudgetRows(List<int> Rows, bool AreHidden);
