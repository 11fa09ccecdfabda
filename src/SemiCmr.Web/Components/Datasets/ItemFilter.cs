using SemiCmr.Ml.Data;
using SemiCmr.Web.Datasets;

namespace SemiCmr.Web.Components.Datasets;

public enum LabelState { Any, Labeled, Unlabeled }

/// <summary>What the items grid shows: a split, items carrying a class, labeled or not in the selected budget.</summary>
public sealed record ItemFilter(Split? Split = null, int? Label = null, LabelState State = LabelState.Any)
{
    /// <summary>
    /// The filter as the query every list of items runs (<see cref="ItemQueries"/>); <paramref name="labeledRows"/> are
    /// the rows the selected budget shows (State is ignored without a budget). An item without labels is unlabeled
    /// whatever the budget says.
    /// </summary>
    public ItemQuery ToQuery(IReadOnlyCollection<int>? labeledRows) =>
        new(Split, Label, labeledRows is null ? null : State switch
        {
            LabelState.Labeled => true,
            LabelState.Unlabeled => false,
            _ => null,
        }, labeledRows);
}
