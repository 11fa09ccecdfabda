using System.Numerics;

namespace SemiCmr.Ml.Search;

/// <summary>A set of rows as a bitset: the rows a label filter allows, tested before a row is scored.</summary>
public sealed class RowSet
{
    private readonly ulong[] words;

    public RowSet(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
        words = new ulong[(capacity + 63) / 64];
    }

    /// <summary>Rows 0..Capacity-1 can be in the set; it equals the row count of the index it filters.</summary>
    public int Capacity { get; }

    public int Count { get; private set; }

    internal ReadOnlySpan<ulong> Words => words;

    /// <summary>
    /// The same rows as positions in a <see cref="RowOrder"/> (set by <see cref="ClassRows"/>), for an index that stores
    /// its 8-bit rows in that order: a shortlist then reads them in runs.
    /// </summary>
    internal (RowOrder Order, RowSet Positions)? Grouped { get; set; }

    public void Add(int row)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Capacity, nameof(row));
        ref ulong word = ref words[row >> 6];
        ulong bit = 1UL << row;
        if ((word & bit) != 0) return;
        word |= bit;
        Count++;
    }

    public bool Contains(int row) => (uint)row < (uint)Capacity && (words[row >> 6] & (1UL << row)) != 0;

    /// <summary>The rows in any of <paramref name="sets"/> (all of the same capacity).</summary>
    public static RowSet Union(int capacity, IEnumerable<RowSet> sets)
    {
        var union = new RowSet(capacity);
        foreach (var set in sets)
        {
            if (set.Capacity != capacity) throw new ArgumentException($"A set of {set.Capacity} rows cannot join a union of {capacity}.", nameof(sets));
            for (int i = 0; i < union.words.Length; i++) union.words[i] |= set.words[i];
        }
        foreach (ulong word in union.words) union.Count += BitOperations.PopCount(word);
        return union;
    }
}
