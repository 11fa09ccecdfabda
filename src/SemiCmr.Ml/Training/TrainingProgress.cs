namespace SemiCmr.Ml.Training;

public enum Stage { LabelPrediction, CommonSpace, Evaluation }

/// <summary>
/// Reported after every epoch of stages 1 and 2, and at the start and the end of the evaluation. Loss terms are keyed by name
/// ("total", "labeled", "consistency" in stage 1; "total", "j1", "j2", "j3" in stage 2).
/// ValidationMap is the mean of image->text and text->image MAP on the validation items
/// (the `val` split, or the test split when there is none; it is only reported, never used to select).
/// </summary>
public sealed record TrainingProgress(
    Stage Stage,
    int Epoch,
    int Epochs,
    IReadOnlyDictionary<string, double> Losses,
    double? ValidationMap = null);
