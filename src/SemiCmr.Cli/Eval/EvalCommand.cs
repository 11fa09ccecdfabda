using System.Globalization;
using System.Text.Json;
using SemiCmr.Cli.Common;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Evaluation;
using SemiCmr.Ml.Models;
using Spectre.Console;
using Spectre.Console.Cli;
using TorchSharp;

namespace SemiCmr.Cli.Eval;

/// <summary>`semicmr eval`: embeds a dataset with a saved model and evaluates its test split.</summary>
public sealed class EvalCommand(IAnsiConsole console) : Command<EvalSettings>
{
    public override int Execute(CommandContext context, EvalSettings settings, CancellationToken cancellationToken)
    {
        var dataset = Inputs.ReadDataset(settings.Data);
        var device = Inputs.ResolveDevice(settings);
        using var model = LoadModel(settings.Model, device);
        CheckDimensions(model.Manifest, dataset, settings);

        // Embed every item, as training does, then evaluate the test rows: the same arithmetic gives the same MAP.
        var images = model.EmbedImages(dataset.ImageFeatures);
        var texts = model.EmbedTexts(dataset.TextFeatures);
        var test = dataset.IndicesOf(Split.Test);
        var labels = test.Select(row => dataset.Items[row].Labels).ToList();
        var report = CrossModalEvaluator.Evaluate(images.SelectRows(test), texts.SelectRows(test), labels, settings.ToEvaluationOptions());

        console.MarkupLine($"Model [bold]{model.Manifest.Method}[/] (seed {model.Manifest.Seed}, {model.Manifest.Labeled} labeled) " +
                           $"on {test.Length} test items.");
        console.Write(ReportTable(report));
        return 0;
    }

    private static TrainedModel LoadModel(string folder, torch.Device device)
    {
        if (!Directory.Exists(folder))
            throw new UserInputException($"Model folder not found: {Path.GetFullPath(folder)}");
        try
        {
            return TrainedModel.Load(folder, device);
        }
        catch (Exception e) when (e is FileNotFoundException or JsonException or InvalidDataException)
        {
            throw new UserInputException($"The model in {folder} could not be loaded: {e.Message}");
        }
    }

    private static void CheckDimensions(ModelManifest manifest, FeatureDataset dataset, EvalSettings settings)
    {
        var problems = new List<string>();
        if (dataset.ImageFeatures.Columns != manifest.ImageDim)
            problems.Add($"image features: the model expects {manifest.ImageDim} columns, the dataset has {dataset.ImageFeatures.Columns}");
        if (dataset.TextFeatures.Columns != manifest.TextDim)
            problems.Add($"text features: the model expects {manifest.TextDim} columns, the dataset has {dataset.TextFeatures.Columns}");
        if (problems.Count > 0)
            throw new UserInputException($"The dataset {settings.Data} does not fit the model {settings.Model}:", problems);
    }

    private static Table ReportTable(CrossModalReport report)
    {
        var (i2t, t2i) = (report.ImageToText, report.TextToImage);
        var table = new Table().AddColumn("Metric")
            .AddColumn(new TableColumn("image->text").RightAligned())
            .AddColumn(new TableColumn("text->image").RightAligned());
        table.AddRow("MAP@all", MetricsTable.Format(i2t.MapAll), MetricsTable.Format(t2i.MapAll));
        table.AddRow($"MAP@{(i2t.R == 0 ? "R (R = all)" : i2t.R.ToString(CultureInfo.InvariantCulture))}",
            MetricsTable.Format(i2t.MapAtR), MetricsTable.Format(t2i.MapAtR));
        foreach (var k in i2t.PrecisionAtK.Keys.Order())
            table.AddRow($"precision@{k}", MetricsTable.Format(i2t.PrecisionAtK[k]), MetricsTable.Format(t2i.PrecisionAtK[k]));
        table.AddRow("queries", i2t.Queries.ToString(CultureInfo.InvariantCulture), t2i.Queries.ToString(CultureInfo.InvariantCulture));
        var sample = i2t.Sample is { } s ? $"; a seeded sample of {s.Ranked:N0} of {s.Of:N0} queries ranked" : "";
        table.Caption($"mean MAP@all {MetricsTable.Format(report.MeanMap)}{sample}");
        return table;
    }
}
