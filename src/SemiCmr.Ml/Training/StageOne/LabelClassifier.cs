using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemiCmr.Ml.Training.StageOne;

/// <summary>Stage-1 classifier of one modality: features -> hidden (ReLU, dropout) -> class logits.</summary>
internal sealed class LabelClassifier : nn.Module<Tensor, Tensor>
{
    private readonly Linear hidden;
    private readonly SeededDropout dropout;
    private readonly Linear output;

    /// <param name="generator">The run's generator: initial weights and dropout masks are drawn from it.</param>
    public LabelClassifier(string name, int inputDim, int hiddenDim, int classes, double dropoutRate, Generator generator) : base(name)
    {
        hidden = SeededLayers.Linear(inputDim, hiddenDim, generator);
        dropout = new SeededDropout(dropoutRate, generator);
        output = SeededLayers.Linear(hiddenDim, classes, generator);
        RegisterComponents();
    }

    public override Tensor forward(Tensor features) =>
        output.forward(dropout.forward(nn.functional.relu(hidden.forward(features))));
}
