namespace SemiCmr.Ml.Training.StageOne;

/// <summary>
/// Turns fused class probabilities into labels: single-label takes the arg-max (confidence = its
/// probability); multi-label takes every class at or above the threshold, at least the top one
/// (confidence = mean probability of the chosen classes).
/// </summary>
internal static class PredictionRule
{
    public static IReadOnlyList<LabelPrediction> FromProbabilities(
        IReadOnlyList<int> rows, float[] probabilities, int classes, bool multiLabel, double threshold)
    {
        var predictions = new LabelPrediction[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            var p = probabilities.AsSpan(i * classes, classes);
            int top = 0;
            for (int c = 1; c < classes; c++) if (p[c] > p[top]) top = c;
            var chosen = new List<int>();
            if (multiLabel)
                for (int c = 0; c < classes; c++) if (p[c] >= threshold) chosen.Add(c);
            if (chosen.Count == 0) chosen.Add(top);
            double confidence = 0;
            foreach (int c in chosen) confidence += p[c];
            confidence /= chosen.Count;
            predictions[i] = new LabelPrediction(rows[i], chosen, confidence);
        }
        return predictions;
    }

    /// <summary>Accuracy (single-label: predicted class is a true class) or example-based F1 (multi-label).</summary>
    public static double Score(IReadOnlyList<LabelPrediction> predictions, Func<int, IReadOnlyList<int>> trueLabels, bool multiLabel)
    {
        double sum = 0;
        foreach (var prediction in predictions)
        {
            var truth = trueLabels(prediction.Row);
            int common = prediction.Labels.Count(truth.Contains);
            sum += multiLabel
                ? 2.0 * common / (prediction.Labels.Count + truth.Count)
                : common > 0 ? 1 : 0;
        }
        return sum / predictions.Count;
    }
}
