using SemiCmr.Ml.Data;
using SemiCmr.Ml.Training;

namespace SemiCmr.Web.Data;

public enum DatasetStatus { Importing, Ready, Failed }

public enum RunStatus { Queued, Running, Succeeded, Failed, Cancelled }

public enum BudgetKind { Ratio, Count, Manual }

/// <summary>An imported dataset; its feature files live in data/datasets/{Id}/.</summary>
public sealed class Dataset
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public DatasetStatus Status { get; set; }
    /// <summary>"zip" or "folder" (the folder path is kept in <see cref="SourcePath"/>).</summary>
    public required string Source { get; set; }
    public string? SourcePath { get; set; }
    public string? TextEncoder { get; set; }
    /// <summary>"resnet18" when image features were extracted at import, "given" when they came with the dataset.</summary>
    public string? ImageEncoder { get; set; }
    /// <summary>The detected layout: manifest, wikipedia, captions or features.</summary>
    public string? Format { get; set; }
    public int ItemCount { get; set; }
    public int ImageDim { get; set; }
    public int TextDim { get; set; }
    public bool IsMultiLabel { get; set; }
    public List<string> Classes { get; set; } = [];
    /// <summary>Why the import failed: every problem found, by file, row and column.</summary>
    public List<ImportProblem> Problems { get; set; } = [];
    /// <summary>Items the import left out (missing, unreadable or empty files), with the reason.</summary>
    public List<SkippedImportItem> Skipped { get; set; } = [];
    public string? Error { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ReadyAt { get; set; }
    public List<Item> Items { get; set; } = [];
}

public sealed class ImportProblem
{
    public required string File { get; set; }
    public int? Row { get; set; }
    public string? Column { get; set; }
    public required string Message { get; set; }

    public static ImportProblem From(DatasetProblem problem) =>
        new() { File = problem.File, Row = problem.Row, Column = problem.Column, Message = problem.Message };
}

public sealed class SkippedImportItem
{
    public required string Item { get; set; }
    public required string File { get; set; }
    public required string Reason { get; set; }
}

/// <summary>One image-text pair; <see cref="Row"/> is its row in the dataset's feature matrices.</summary>
public sealed class Item
{
    public int Id { get; set; }
    public int DatasetId { get; set; }
    public int Row { get; set; }
    public required string ExternalId { get; set; }
    public Split Split { get; set; }
    /// <summary>Indices into <see cref="Dataset.Classes"/>; empty when the item is unlabeled.</summary>
    public List<int> Labels { get; set; } = [];
    public string? ImagePath { get; set; }
    public string? Text { get; set; }
}

/// <summary>Which training items show their labels to a run, and how they were chosen.</summary>
public sealed class LabelBudget
{
    public int Id { get; set; }
    public int DatasetId { get; set; }
    public BudgetKind Kind { get; set; }
    public double? Ratio { get; set; }
    public int? Count { get; set; }
    public int Seed { get; set; }
    /// <summary>Dataset rows (<see cref="Item.Row"/>) of the labeled items.</summary>
    public List<int> LabeledRows { get; set; } = [];
    public DateTime CreatedAt { get; set; }
}

/// <summary>A training run; the SQLite row is the truth about its state. Artifacts live in <see cref="ArtifactFolder"/>.</summary>
public sealed class Run
{
    public int Id { get; set; }
    public int DatasetId { get; set; }
    public Dataset? Dataset { get; set; }
    public int? BudgetId { get; set; }
    public LabelBudget? Budget { get; set; }
    public Method Method { get; set; }
    public double LabelRatio { get; set; }
    public int Seed { get; set; }
    /// <summary>The method's TrainingOptions as JSON (camelCase), complete with defaults.</summary>
    public required string OptionsJson { get; set; }
    public RunStatus Status { get; set; }
    public Stage? Stage { get; set; }
    public int Epoch { get; set; }
    public int Epochs { get; set; }
    public double Progress { get; set; }
    public string? Device { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public double? SecondsStage1 { get; set; }
    public double? SecondsStage2 { get; set; }
    public double? MapI2T { get; set; }
    public double? MapT2I { get; set; }
    public double? Stage1Accuracy { get; set; }
    public int? Labeled { get; set; }
    public string? Error { get; set; }
    public string? ArtifactFolder { get; set; }
}

/// <summary>Loss terms and validation MAP after one epoch of one stage.</summary>
public sealed class EpochMetric
{
    public long Id { get; set; }
    public int RunId { get; set; }
    public Stage Stage { get; set; }
    public int Epoch { get; set; }
    public int Epochs { get; set; }
    public Dictionary<string, double> Losses { get; set; } = [];
    public double? ValidationMap { get; set; }
    public DateTime At { get; set; }
}
