using SemiCmr.Ml.Data;
using SemiCmr.Ml.Evaluation;
using static SemiCmr.Ml.Tests.Evaluation.Rankings;

namespace SemiCmr.Ml.Tests.Evaluation;

public sealed class CrossModalEvaluatorTests
{
    private const double Tolerance = 1e-9;

    [Fact]
    public void ImagesQueryTextsAndTextsQueryImages()
    {
        // Items A [0], B [1], C [0].
        // image->text: image A (1,0) ranks texts A, B, C -> relevant A, C at 1, 3 -> (1 + 2/3) / 2;
        //   image B (1,0) -> B at 2 -> 1/2; image C (0,1) ranks B, C, A -> C, A at 2, 3 -> (1/2 + 2/3) / 2.
        // text->image: text A (1,0) ranks images A, B, C -> (1 + 2/3) / 2;
        //   text B (0,1) ranks C, A, B -> B at 3 -> 1/3; text C (0,1) ranks C, A, B -> C, A at 1, 2 -> 1.
        var images = Matrix([1f, 0f], [1f, 0f], [0f, 1f]);
        var texts = Matrix([1f, 0f], [0f, 1f], [0f, 1f]);
        var report = CrossModalEvaluator.Evaluate(images, texts, SingleLabels(0, 1, 0));

        Assert.Equal(((1 + 2.0 / 3) / 2 + 0.5 + (0.5 + 2.0 / 3) / 2) / 3, report.ImageToText.MapAll, Tolerance);
        Assert.Equal(((1 + 2.0 / 3) / 2 + 1.0 / 3 + 1) / 3, report.TextToImage.MapAll, Tolerance);
        Assert.Equal((report.ImageToText.MapAll + report.TextToImage.MapAll) / 2, report.MeanMap, Tolerance);
    }

    [Fact]
    public void ImagesAndTextsMustBeRowAlignedInOneSpace()
    {
        var images = Matrix([1f, 0f], [0f, 1f]);
        Assert.Throws<ArgumentException>(() => CrossModalEvaluator.Evaluate(images, Matrix([1f, 0f]), SingleLabels(0, 1)));
        Assert.Throws<ArgumentException>(() => CrossModalEvaluator.Evaluate(images, Matrix([1f, 0f, 0f], [0f, 1f, 0f]), SingleLabels(0, 1)));
    }

    [Fact]
    public void LargerMultiLabelSetsMatchAStraightforwardReferenceImplementation()
    {
        var random = new Random(7);
        const int items = 300, dims = 12, classes = 6;
        FeatureMatrix Random() => new(Enumerable.Range(0, items * dims).Select(_ => (float)random.NextDouble() - 0.5f).ToArray(), items, dims);
        var images = Random();
        var texts = Random();
        var labels = Enumerable.Range(0, items)
            .Select(_ => (IReadOnlyList<int>)Enumerable.Range(0, classes).Where(_ => random.NextDouble() < 0.2).ToArray())
            .ToArray();

        var report = CrossModalEvaluator.Evaluate(images, texts, labels, new EvaluationOptions(R: 50, Ks: [10]));

        var (map, mapAt50, precisionAt10) = Reference(images, texts, labels, 50, 10);
        Assert.Equal(map, report.ImageToText.MapAll, 1e-6);
        Assert.Equal(mapAt50, report.ImageToText.MapAtR, 1e-6);
        Assert.Equal(precisionAt10, report.ImageToText.PrecisionAtK[10], 1e-6);
    }

    // The textbook computation: sort every database item by cosine, walk the ranking.
    private static (double Map, double MapAtR, double PrecisionAtK) Reference(
        FeatureMatrix queries, FeatureMatrix database, IReadOnlyList<IReadOnlyList<int>> labels, int r, int k)
    {
        double Cosine(int q, int d)
        {
            double dot = 0, nq = 0, nd = 0;
            for (int c = 0; c < queries.Columns; c++)
            {
                double a = queries.Row(q)[c], b = database.Row(d)[c];
                dot += a * b; nq += a * a; nd += b * b;
            }
            return dot / Math.Sqrt(nq * nd);
        }

        var aps = new List<(double All, double AtR, double AtK)>();
        for (int q = 0; q < queries.Rows; q++)
        {
            var relevant = Enumerable.Range(0, database.Rows).Select(d => labels[q].Intersect(labels[d]).Any()).ToArray();
            if (!relevant.Any(x => x)) continue;
            var order = Enumerable.Range(0, database.Rows).OrderByDescending(d => Cosine(q, d)).ThenBy(d => d).ToArray();
            double sum = 0, sumAtR = 0;
            int hits = 0, hitsAtR = 0;
            for (int rank = 1; rank <= order.Length; rank++)
            {
                if (!relevant[order[rank - 1]]) continue;
                hits++;
                sum += hits / (double)rank;
                if (rank <= r) { hitsAtR++; sumAtR += hits / (double)rank; }
            }
            aps.Add((sum / hits, hitsAtR == 0 ? 0 : sumAtR / hitsAtR, order.Take(k).Count(d => relevant[d]) / (double)k));
        }
        return (aps.Average(a => a.All), aps.Average(a => a.AtR), aps.Average(a => a.AtK));
    }
}
