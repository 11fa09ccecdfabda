namespace SemiCmr.Ml.Search;

/// <summary>
/// Each class's rows as a bitset, built once per index, so a label filter is the union of a few bitsets instead of a
/// look at every row's labels. Given the <see cref="RowOrder"/> the index stores its 8-bit rows in, it keeps each class's
/// positions in that order too, and a filter carries both (<see cref="RowSet.Grouped"/>).
/// </summary>
public sealed class ClassRows
{
    private readonly RowSet[] byClass;
    private readonly RowOrder? order;
    private readonly RowSet[]? positionsByClass;

    /// <param name="labels">Each row's class indexes; indexes outside 0..classes-1 are ignored.</param>
    /// <param name="order">The order the index's 8-bit rows are stored in (built from the same labels), if any.</param>
    public ClassRows(IReadOnlyList<IReadOnlyList<int>> labels, int classes, RowOrder? order = null)
    {
        if (order is not null && order.Count != labels.Count)
            throw new ArgumentException($"The row order covers {order.Count} rows; there are {labels.Count}.", nameof(order));
        Rows = labels.Count;
        this.order = order;
        byClass = Bitsets(classes);
        positionsByClass = order is null ? null : Bitsets(classes);
        for (int row = 0; row < labels.Count; row++)
            foreach (int label in labels[row])
                if ((uint)label < (uint)classes)
                {
                    byClass[label].Add(row);
                    positionsByClass?[label].Add(order!.PositionOf[row]);
                }
    }

    public int Rows { get; }

    /// <summary>The rows that have at least one of <paramref name="classes"/>; unknown classes match no row.</summary>
    public RowSet Any(IEnumerable<int> classes)
    {
        var known = classes.Where(c => (uint)c < (uint)byClass.Length).Distinct().ToList();
        var rows = RowSet.Union(Rows, known.Select(c => byClass[c]));
        if (positionsByClass is not null) rows.Grouped = (order!, RowSet.Union(Rows, known.Select(c => positionsByClass[c])));
        return rows;
    }

    private RowSet[] Bitsets(int classes)
    {
        var sets = new RowSet[classes];
        for (int c = 0; c < classes; c++) sets[c] = new RowSet(Rows);
        return sets;
    }
}
