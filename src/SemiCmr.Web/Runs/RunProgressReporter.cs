using Microsoft.EntityFrameworkCore;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Data;
using SemiCmr.Web.Progress;

namespace SemiCmr.Web.Runs;

/// <summary>
/// Receives MethodRunner's per-epoch reports on the training thread: stores an EpochMetric row, moves the run's
/// stage/epoch/progress forward and tells the broadcaster. Synchronous on purpose (no Progress&lt;T&gt; posting
/// to the thread pool): the row is written before the next epoch starts.
/// </summary>
public sealed class RunProgressReporter(int runId, Method method, TrainingOptions options,
    IDbContextFactory<SemiCmrDb> dbFactory, RunProgressBroadcaster broadcaster) : IProgress<TrainingProgress>
{
    private readonly int stage1Epochs = method == Method.Sscmr ? options.Stage1Epochs : 0;
    private readonly int stage2Epochs = method == Method.Cca ? 0 : options.Stage2Epochs;

    public void Report(TrainingProgress value)
    {
        double progress = Fraction(value);
        using var db = dbFactory.CreateDbContext();
        if (value.Stage != Stage.Evaluation)
        {
            db.EpochMetrics.Add(new EpochMetric
            {
                RunId = runId, Stage = value.Stage, Epoch = value.Epoch, Epochs = value.Epochs,
                Losses = new Dictionary<string, double>(value.Losses), ValidationMap = value.ValidationMap, At = DateTime.UtcNow,
            });
            db.SaveChanges();
        }
        db.Runs.Where(r => r.Id == runId).ExecuteUpdate(s => s
            .SetProperty(r => r.Stage, value.Stage)
            .SetProperty(r => r.Epoch, value.Epoch)
            .SetProperty(r => r.Epochs, value.Epochs)
            .SetProperty(r => r.Progress, progress));
        broadcaster.Publish(new RunProgressEvent(runId, RunProgressEvent.Name(RunStatus.Running), RunProgressEvent.Name(value.Stage),
            value.Epoch, value.Epochs, progress, value.Losses, value.ValidationMap));
    }

    /// <summary>Share of all epochs done; evaluation is the last sliver.</summary>
    private double Fraction(TrainingProgress value)
    {
        double total = stage1Epochs + stage2Epochs + 1;
        double done = value.Stage switch
        {
            Stage.LabelPrediction => value.Epoch,
            Stage.CommonSpace => stage1Epochs + value.Epoch,
            _ => stage1Epochs + stage2Epochs + (value.Epoch >= value.Epochs ? 1 : 0),
        };
        return Math.Clamp(done / total, 0, 1);
    }
}
