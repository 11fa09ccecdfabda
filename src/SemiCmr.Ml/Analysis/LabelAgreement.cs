namespace SemiCmr.Ml.Analysis;

/// <summary>
/// Counts of (true class, predicted class) over single-label items; rows are true classes, columns predicted ones,
/// both in <paramref name="Classes"/> order. When <paramref name="MoreClasses"/> &gt; 0 the last entry of Classes is
/// <see cref="ClassLimits.Other"/>: its row and column count every class left out, so the matrix stays small.
/// Total and Correct are exact (an item of a left-out class predicted as itself is correct, though it sits in other/other).
/// </summary>
public sealed record ConfusionMatrix(IReadOnlyList<int> Classes, int[][] Counts, int Total, int Correct, int MoreClasses = 0)
{
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;
}

/// <summary>
/// Precision and recall of one class over multi-label predictions; Support counts the items truly carrying it.
/// For the <see cref="ClassLimits.Other"/> row, the micro-average over the classes left out.
/// </summary>
public sealed record ClassScore(int Class, double Precision, double Recall, int Support, int Predicted);

/// <summary>How stage-1 predictions agree with the true labels (benchmark mode, where the truth is known).</summary>
public static class LabelAgreement
{
    /// <summary>
    /// Single-label confusion matrix over the <paramref name="maxClasses"/> most frequent true classes plus an "other"
    /// bucket. Items whose truth is empty (unlabeled even in the dataset) are skipped; the first label of each side is used.
    /// </summary>
    public static ConfusionMatrix Confusion(
        IReadOnlyList<IReadOnlyList<int>> truth, IReadOnlyList<IReadOnlyList<int>> predicted, int classCount, int maxClasses = ClassLimits.MaxShown)
    {
        CheckLengths(truth, predicted);
        var support = new int[classCount];
        var pairs = new List<(int True, int Predicted)>(truth.Count);
        for (int i = 0; i < truth.Count; i++)
        {
            if (truth[i].Count == 0 || predicted[i].Count == 0) continue;
            var pair = (Check(truth[i][0], classCount), Check(predicted[i][0], classCount));
            pairs.Add(pair);
            support[pair.Item1]++;
        }

        var shown = ClassLimits.MostFrequent(support, maxClasses);
        int more = classCount - shown.Length, size = shown.Length + (more > 0 ? 1 : 0);
        var index = new Dictionary<int, int>(shown.Length);
        for (int i = 0; i < shown.Length; i++) index[shown[i]] = i;
        var counts = Enumerable.Range(0, size).Select(_ => new int[size]).ToArray();
        int correct = 0;
        foreach (var (t, p) in pairs)
        {
            counts[index.GetValueOrDefault(t, size - 1)][index.GetValueOrDefault(p, size - 1)]++;
            if (t == p) correct++;
        }
        IReadOnlyList<int> classes = more > 0 ? [.. shown, ClassLimits.Other] : shown;
        return new ConfusionMatrix(classes, counts, pairs.Count, correct, more);
    }

    /// <summary>
    /// Per-class precision (of the items predicted to carry the class, the share that do) and recall (of the items
    /// that carry it, the share predicted), 0 when the denominator is 0, for the <paramref name="maxClasses"/> classes
    /// with the most support; the rest summarised. Items with no true label are skipped.
    /// </summary>
    public static ClassTable<ClassScore> PerClass(
        IReadOnlyList<IReadOnlyList<int>> truth, IReadOnlyList<IReadOnlyList<int>> predicted, int classCount, int maxClasses = ClassLimits.MaxShown)
    {
        CheckLengths(truth, predicted);
        var truePositives = new int[classCount];
        var support = new int[classCount];
        var predictedCounts = new int[classCount];
        for (int i = 0; i < truth.Count; i++)
        {
            if (truth[i].Count == 0) continue;
            var actual = truth[i].Select(c => Check(c, classCount)).ToHashSet();
            var guessed = predicted[i].Select(c => Check(c, classCount)).ToHashSet();
            foreach (var c in actual) support[c]++;
            foreach (var c in guessed)
            {
                predictedCounts[c]++;
                if (actual.Contains(c)) truePositives[c]++;
            }
        }

        var shown = ClassLimits.MostFrequent(support, maxClasses);
        var rows = shown.Select(c => Score(c, truePositives[c], predictedCounts[c], support[c])).ToList();
        int more = classCount - shown.Length;
        if (more == 0) return new ClassTable<ClassScore>(rows, 0, null);
        var listed = shown.ToHashSet();
        var rest = Enumerable.Range(0, classCount).Where(c => !listed.Contains(c)).ToList();
        return new ClassTable<ClassScore>(rows, more, Score(ClassLimits.Other,
            rest.Sum(c => truePositives[c]), rest.Sum(c => predictedCounts[c]), rest.Sum(c => support[c])));
    }

    private static ClassScore Score(int c, int truePositives, int predicted, int support) => new(c,
        predicted == 0 ? 0 : (double)truePositives / predicted, support == 0 ? 0 : (double)truePositives / support, support, predicted);

    private static void CheckLengths(IReadOnlyList<IReadOnlyList<int>> truth, IReadOnlyList<IReadOnlyList<int>> predicted)
    {
        if (truth.Count != predicted.Count)
            throw new ArgumentException($"{truth.Count} true label lists but {predicted.Count} predictions.", nameof(predicted));
    }

    private static int Check(int label, int classCount) =>
        label >= 0 && label < classCount ? label : throw new ArgumentException($"Label {label} is outside the {classCount} classes.");
}
