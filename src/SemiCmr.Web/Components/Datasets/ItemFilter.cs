using SemiCmr.Ml.Data;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.Components.Datasets;

public enum LabelState { Any, Labeled, Unlabeled }

/// <summary>What the items grid shows: a split, items carrying a class, labeled or not in the selected budget.</summary>
public sealed record ItemFilter(Split? Split = null, int? Label = null, LabelState State = LabelState.Any)
{
    /// <summary>
    /// Applies the filter; <paramref name="labeledRows"/> are the rows the selected budget shows (State is ignored
    /// without a budget). An item without labels is unlabeled whatever the budget says.
    /// </summary>
    public IQueryable<Item> Apply(IQueryable<Item> items, IReadOnlyCollection<int>? labeledRows)
    {
        if (Split is { } split) items = items.Where(i => i.Split == split);
        if (Label is { } label) items = items.Where(i => i.Labels.Contains(label));
        if (labeledRows is null) return items;
        var rows = labeledRows.ToList();
        return State switch
        {
            LabelState.Labeled => items.Where(i => rows.Contains(i.Row) && i.Labels.Count > 0),
            LabelState.Unlabeled => items.Where(i => !rows.Contains(i.Row) || i.Labels.Count == 0),
            _ => items,
        };
    }
}
