using System.Collections.Concurrent;

namespace SemiCmr.Ml.Import;

/// <summary>Skipped items collected from parallel workers, reported in source order.</summary>
internal sealed class SkipList
{
    private readonly ConcurrentBag<(int Index, SkippedItem Item)> _items = [];

    public void Add(int index, SkippedItem item) => _items.Add((index, item));

    public IReadOnlyList<SkippedItem> InSourceOrder() =>
        _items.OrderBy(entry => entry.Index).Select(entry => entry.Item).ToArray();
}
