using System.Globalization;
using System.Text;
using SemiCmr.Cli;
using SemiCmr.Ml.Data;
using Spectre.Console;

namespace SemiCmr.Ml.Tests.Cli;

/// <summary>Runs `semicmr` in-process against a plain-text console and writes small generated datasets.</summary>
internal static class CliHarness
{
    /// <summary>Flags that make every neural run take a fraction of a second.</summary>
    public static readonly string[] TinyTraining =
        ["--stage1-epochs", "2", "--stage2-epochs", "2", "--batch-size", "16", "--hidden-dim", "16", "--common-dim", "4", "--device", "cpu"];

    public static (int ExitCode, string Output) Run(params string[] args)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 240; // no wrapping, so assertions can look at whole lines
        int exitCode = SemiCmrApp.Create(console).Run(args);
        return (exitCode, writer.ToString());
    }

    /// <summary>
    /// A separable 3-class dataset: per class 10 train, 2 val and 4 test items; image and text features
    /// are a class centre plus noise, so every method learns something in a few epochs.
    /// </summary>
    public static string WriteDataset(int imageDim = 8, int textDim = 6)
    {
        var folder = TestPaths.NewTempFolder();
        var random = new Random(7);
        string[] classes = ["art", "music", "sport"];
        var centres = classes.Select(_ => (Image: Gaussian(random, imageDim, 3), Text: Gaussian(random, textDim, 3))).ToArray();
        var csv = new StringBuilder("id,split,labels\n");
        var image = new List<float>();
        var text = new List<float>();
        int rows = 0;
        for (int c = 0; c < classes.Length; c++)
        {
            for (int i = 0; i < 16; i++, rows++)
            {
                var split = i < 10 ? "train" : i < 12 ? "val" : "test";
                csv.Append(CultureInfo.InvariantCulture, $"{classes[c]}-{i},{split},{classes[c]}\n");
                image.AddRange(centres[c].Image.Zip(Gaussian(random, imageDim, 1), (a, b) => a + b));
                text.AddRange(centres[c].Text.Zip(Gaussian(random, textDim, 1), (a, b) => a + b));
            }
        }
        File.WriteAllText(Path.Combine(folder, "items.csv"), csv.ToString());
        Npy.Write(Path.Combine(folder, "image_features.npy"), new FeatureMatrix(image.ToArray(), rows, imageDim));
        Npy.Write(Path.Combine(folder, "text_features.npy"), new FeatureMatrix(text.ToArray(), rows, textDim));
        return folder;
    }

    /// <summary>The first output line that contains <paramref name="text"/>.</summary>
    public static string Line(string output, string text) =>
        output.Split('\n').FirstOrDefault(line => line.Contains(text, StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"No line contains '{text}' in:\n{output}");

    private static float[] Gaussian(Random random, int count, double scale) =>
        Enumerable.Range(0, count).Select(_ => (float)(scale * random.NextGaussian())).ToArray();

    private static double NextGaussian(this Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
