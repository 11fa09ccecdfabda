using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SemiCmr.Ml.Training.StageOne;

/// <summary>Stage-1 classifier of one modality: features -> hidden (ReLU, dropout) -> class logits.</summary>
internal sealed class LabelClassifier : Module<Tensor, Tensor>
{
    private readonly Linear hidden;
    private readonly Dropout dropout;
    private readonly Linear output;

    public LabelClassifier(string name, int inputDim, int hiddenDim, int classes, double dropoutRate) : base(name)
    {
        hidden = Linear(inputDim, hiddenDim);
        dropout = Dropout(dropoutRate);
        output = Linear(hiddenDim, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor features) =>
        output.forward(dropout.forward(functional.relu(hidden.forward(features))));
}
