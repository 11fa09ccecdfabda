using System.Text.Json;
using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Models;

/// <summary>
/// The labels a run was trained and evaluated with, saved in its folder (<see cref="ModelFiles.Labels"/>), so what is
/// reported about the run keeps meaning what it meant after items are annotated. <see cref="Labels"/> are every item's
/// labels by dataset row; <see cref="Shown"/> the rows whose true labels training was shown (the budget's labeled
/// items; every labeled training item for full; none for cca).
/// </summary>
public sealed record RunLabels(IReadOnlyList<IReadOnlyList<int>> Labels, IReadOnlyList<int> Shown)
{
    // Not indented like the other run files: one short array per item, so the file stays small for big datasets.
    private static readonly JsonSerializerOptions Compact = new(JsonSerializerDefaults.Web);

    public static RunLabels Of(FeatureDataset dataset, IEnumerable<int> shown) =>
        new([.. dataset.Items.Select(item => item.Labels)], [.. shown]);

    public void Write(string directory) =>
        File.WriteAllText(Path.Combine(directory, ModelFiles.Labels), JsonSerializer.Serialize(this, Compact));

    /// <summary>The labels recorded in a run folder; null for a run saved before runs recorded them.</summary>
    public static RunLabels? Read(string directory)
    {
        string path = Path.Combine(directory, ModelFiles.Labels);
        if (!File.Exists(path)) return null;
        return JsonSerializer.Deserialize<RunLabels>(File.ReadAllText(path), Compact)
            ?? throw new InvalidDataException($"{ModelFiles.Labels} is empty.");
    }

    /// <summary>How many items' labels differ from <paramref name="current"/> (by row; order and repeats within an item's labels do not count).</summary>
    public int CountChanged(IReadOnlyList<IReadOnlyList<int>> current)
    {
        int changed = Math.Abs(current.Count - Labels.Count);
        for (int row = 0; row < Math.Min(current.Count, Labels.Count); row++)
            if (!Labels[row].ToHashSet().SetEquals(current[row])) changed++;
        return changed;
    }
}
