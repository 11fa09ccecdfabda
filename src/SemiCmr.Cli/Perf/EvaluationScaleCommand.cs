using System.Diagnostics;
using System.Globalization;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Evaluation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Perf;

/// <summary>
/// `semicmr perf evaluation`: one timed test-split evaluation (MAP@all, MAP@R, precision@K and the PR curve in
/// both directions) on generated clustered embeddings, at sizes no sample dataset reaches. One run of a
/// minute-long operation says more than BenchmarkDotNet's repetitions would.
/// </summary>
public sealed class EvaluationScaleCommand(IAnsiConsole console) : Command<EvaluationScaleSettings>
{
    public override int Execute(CommandContext context, EvaluationScaleSettings settings, CancellationToken cancellationToken)
    {
        var random = new Random(settings.Seed);
        var labels = Enumerable.Range(0, settings.Items).Select(_ => Labels(random, settings)).ToList();
        var centres = Gaussian(random, settings.Classes, settings.Dims, 1f);
        var images = Around(random, centres, labels, settings.Dims);
        var texts = Around(random, centres, labels, settings.Dims);
        console.MarkupLine($"{settings.Items:N0} test items, {settings.Dims}-d, {settings.Classes} classes, {(settings.MultiLabel ? "multi" : "single")}-label.");

        var clock = Stopwatch.StartNew();
        var report = CrossModalEvaluator.Evaluate(images, texts, labels, new EvaluationOptions(MaxQueries: settings.MaxQueries));
        clock.Stop();

        var table = new Table().AddColumns("", "image → text", "text → image");
        table.AddRow("MAP@all", F(report.ImageToText.MapAll), F(report.TextToImage.MapAll));
        table.AddRow("precision@10", F(report.ImageToText.PrecisionAtK[10]), F(report.TextToImage.PrecisionAtK[10]));
        table.AddRow("queries", report.ImageToText.Queries.ToString("N0", CultureInfo.InvariantCulture), report.TextToImage.Queries.ToString("N0", CultureInfo.InvariantCulture));
        if (report.ImageToText.Sample is { } sample)
            table.Caption(string.Create(CultureInfo.InvariantCulture, $"a seeded sample of {sample.Ranked:N0} of {sample.Of:N0} labeled queries ranked in each direction"));
        console.Write(table);
        // Every digit, so two builds can be compared bit for bit.
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"MAP@all to the last bit: {report.ImageToText.MapAll:R} / {report.TextToImage.MapAll:R}"));
        console.MarkupLine($"Evaluated in [bold]{clock.Elapsed.TotalSeconds:F1} s[/]; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20):N0} MiB.");
        return 0;
    }

    private static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    private static IReadOnlyList<int> Labels(Random random, EvaluationScaleSettings settings)
    {
        int count = settings.MultiLabel ? random.Next(1, 4) : 1;
        return Enumerable.Range(0, count).Select(_ => random.Next(settings.Classes)).Distinct().Order().ToArray();
    }

    private static float[] Gaussian(Random random, int rows, int dims, float scale)
    {
        var values = new float[rows * dims];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())) * scale;
        return values;
    }

    /// <summary>Noise per coordinate against a centre's 1: classes overlap, so MAP is far from both 0 and 1.</summary>
    private const float Noise = 4f;

    /// <summary>Each item: the mean of its classes' centres plus noise.</summary>
    private static FeatureMatrix Around(Random random, float[] centres, IReadOnlyList<IReadOnlyList<int>> labels, int dims)
    {
        var values = Gaussian(random, labels.Count, dims, Noise);
        for (int item = 0; item < labels.Count; item++)
        {
            foreach (int label in labels[item])
                for (int d = 0; d < dims; d++) values[item * dims + d] += centres[label * dims + d] / labels[item].Count;
        }
        return new FeatureMatrix(values, labels.Count, dims);
    }
}
