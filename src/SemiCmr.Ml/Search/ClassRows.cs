namespace SemiCmr.Ml.Search;

/// <summary>
/// Each class's rows as a bitset, built once per index, so a label filter is the union of a few bitsets instead of a
/// look at every row's labels.
/// </summary>
public sealed class ClassRows
{
    private readonly RowSet[] byClass;

    /// <param name="labels">Each row's class indexes; indexes outside 0..classes-1 are ignored.</param>
    public ClassRows(IReadOnlyList<IReadOnlyList<int>> labels, int classes)
    {
        Rows = labels.Count;
        byClass = new RowSet[classes];
        for (int c = 0; c < classes; c++) byClass[c] = new RowSet(Rows);
        for (int row = 0; row < labels.Count; row++)
            foreach (int label in labels[row])
                if ((uint)label < (uint)classes) byClass[label].Add(row);
    }

    public int Rows { get; }

    /// <summary>The rows that have at least one of <paramref name="classes"/>; unknown classes match no row.</summary>
    public RowSet Any(IEnumerable<int> classes) =>
        RowSet.Union(Rows, classes.Where(c => (uint)c < (uint)byClass.Length).Distinct().Select(c => byClass[c]));
}
