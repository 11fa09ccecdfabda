using SemiCmr.Ml.Training;
using SemiCmr.Web.Data;
using SemiCmr.Web.Progress;

namespace SemiCmr.Web.Runs;

public sealed record CreateRunRequest(int? DatasetId, string? Method, double? LabelRatio, int? Seed, int? BudgetId, TrainingOptions? Options);

public sealed record RunResponse(
    int Id,
    int DatasetId,
    int? BudgetId,
    Method Method,
    double LabelRatio,
    int Seed,
    TrainingOptions Options,
    RunStatus Status,
    Stage? Stage,
    int Epoch,
    int Epochs,
    double Progress,
    string? Device,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    RunMetricsDto? Metrics,
    string? Error,
    int Attempts)
{
    public static RunResponse From(Run r) => new(
        r.Id, r.DatasetId, r.BudgetId, r.Method, r.LabelRatio, r.Seed, RunJson.Deserialize(r.OptionsJson), r.Status, r.Stage,
        r.Epoch, r.Epochs, r.Progress, r.Device, r.CreatedAt, r.StartedAt, r.FinishedAt, RunProgressEvent.MetricsOf(r), r.Error, r.Attempts);
}

public sealed record EpochResponse(Stage Stage, int Epoch, int Epochs, IReadOnlyDictionary<string, double> Losses, double? ValidationMap, DateTime At);
