namespace SemiCmr.Ml.Analysis;

/// <summary>Counts of (true class, predicted class) over single-label items; rows are true classes.</summary>
public sealed record ConfusionMatrix(int[][] Counts)
{
    public int Total => Counts.Sum(row => row.Sum());

    public int Correct => Counts.Select((row, c) => row[c]).Sum();

    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;
}

/// <summary>Precision and recall of one class over multi-label predictions; Support counts the items truly carrying it.</summary>
public sealed record ClassScore(int Class, double Precision, double Recall, int Support, int Predicted);

/// <summary>How stage-1 predictions agree with the true labels (benchmark mode, where the truth is known).</summary>
public static class LabelAgreement
{
    /// <summary>
    /// Single-label confusion matrix. Items whose truth is empty (unlabeled even in the dataset) are skipped;
    /// the first label of each side is used.
    /// </summary>
    public static ConfusionMatrix Confusion(IReadOnlyList<IReadOnlyList<int>> truth, IReadOnlyList<IReadOnlyList<int>> predicted, int classCount)
    {
        CheckLengths(truth, predicted);
        var counts = Enumerable.Range(0, classCount).Select(_ => new int[classCount]).ToArray();
        for (int i = 0; i < truth.Count; i++)
        {
            if (truth[i].Count == 0 || predicted[i].Count == 0) continue;
            counts[Check(truth[i][0], classCount)][Check(predicted[i][0], classCount)]++;
        }
        return new ConfusionMatrix(counts);
    }

    /// <summary>
    /// Per-class precision (of the items predicted to carry the class, the share that do) and recall (of the
    /// items that carry it, the share predicted); 0 when the denominator is 0. Items with no true label are skipped.
    /// </summary>
    public static IReadOnlyList<ClassScore> PerClass(IReadOnlyList<IReadOnlyList<int>> truth, IReadOnlyList<IReadOnlyList<int>> predicted, int classCount)
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
        return Enumerable.Range(0, classCount).Select(c => new ClassScore(c,
            predictedCounts[c] == 0 ? 0 : (double)truePositives[c] / predictedCounts[c],
            support[c] == 0 ? 0 : (double)truePositives[c] / support[c],
            support[c], predictedCounts[c])).ToList();
    }

    private static void CheckLengths(IReadOnlyList<IReadOnlyList<int>> truth, IReadOnlyList<IReadOnlyList<int>> predicted)
    {
        if (truth.Count != predicted.Count)
            throw new ArgumentException($"{truth.Count} true label lists but {predicted.Count} predictions.", nameof(predicted));
    }

    private static int Check(int label, int classCount) =>
        label >= 0 && label < classCount ? label : throw new ArgumentException($"Label {label} is outside the {classCount} classes.");
}
