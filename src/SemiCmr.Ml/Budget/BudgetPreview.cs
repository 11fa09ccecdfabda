namespace SemiCmr.Ml.Budget;

/// <summary>How many items of one class a label budget shows, out of the train items that carry the class.</summary>
public sealed record ClassBudget(int Class, string Name, int Labeled, int Candidates);

/// <summary>
/// The stratified count per class of a label budget, shown before the budget is saved. In multi-label
/// datasets an item counts once for each of its classes, so the class counts can add up to more than
/// <see cref="Labeled"/>. Bounded like every per-class table: <see cref="Classes"/> lists at most
/// <see cref="Analysis.ClassLimits.MaxShown"/> classes (those with the most candidates, in class order) and
/// <see cref="Rest"/> sums the <see cref="MoreClasses"/> classes left out (null when none were).
/// </summary>
public sealed record BudgetPreview(int Labeled, int Candidates, IReadOnlyList<ClassBudget> Classes, int MoreClasses = 0, ClassBudget? Rest = null);
