namespace SemiCmr.Ml.Search;

/// <summary>
/// An order of an index's rows that puts each class's rows together (by each row's first label; rows without one
/// last), in which <see cref="ExactIndex.Open"/> stores the 8-bit rows of shortlists. A label filter's rows are then
/// read in runs instead of one scattered row at a time, which at a million rows is most of a filtered search's time.
/// </summary>
public sealed class RowOrder
{
    /// <param name="labels">Each row's class indexes; indexes outside 0..classes-1 are ignored.</param>
    public RowOrder(IReadOnlyList<IReadOnlyList<int>> labels, int classes)
    {
        Count = labels.Count;
        // A counting sort by first known label, stable within a class.
        var group = new int[Count];
        var starts = new int[classes + 2];
        for (int row = 0; row < Count; row++)
        {
            group[row] = classes;
            foreach (int label in labels[row])
                if ((uint)label < (uint)classes) { group[row] = label; break; }
            starts[group[row] + 1]++;
        }
        for (int g = 1; g < starts.Length; g++) starts[g] += starts[g - 1];
        RowAt = new int[Count];
        PositionOf = new int[Count];
        for (int row = 0; row < Count; row++)
        {
            int position = starts[group[row]]++;
            RowAt[position] = row;
            PositionOf[row] = position;
        }
    }

    public int Count { get; }

    /// <summary>The row stored at each position.</summary>
    internal int[] RowAt { get; }

    /// <summary>Each row's position.</summary>
    internal int[] PositionOf { get; }
}
