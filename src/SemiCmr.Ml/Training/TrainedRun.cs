using SemiCmr.Ml.Data;
using SemiCmr.Ml.Models;

namespace SemiCmr.Ml.Training;

/// <summary>A finished run: its result and model, and how they are written to a run folder.</summary>
public sealed class TrainedRun(RunResult result, TrainedModel model) : IDisposable
{
    public RunResult Result { get; } = result;
    public TrainedModel Model { get; } = model;

    /// <summary>
    /// Writes model.json, model.weights or cca.json, the embeddings of every item (.npy), the stage-1
    /// predictions, the full evaluation and the labels the run used.
    /// </summary>
    public void Save(string directory)
    {
        Model.Save(directory);
        Npy.Write(Path.Combine(directory, ModelFiles.ImageEmbeddings), Result.ImageEmbeddings);
        Npy.Write(Path.Combine(directory, ModelFiles.TextEmbeddings), Result.TextEmbeddings);
        ModelFiles.WriteJson(Path.Combine(directory, ModelFiles.Predictions), Result.Predictions);
        ModelFiles.WriteJson(Path.Combine(directory, ModelFiles.Evaluation), Result.Evaluation);
        Result.Labels.Write(directory);
    }

    public void Dispose() => Model.Dispose();
}
