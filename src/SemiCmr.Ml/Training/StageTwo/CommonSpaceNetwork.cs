using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SemiCmr.Ml.Training.StageTwo;

/// <summary>
/// The DSCMR-shaped stage-2 network: a branch per modality (features -> hidden, ReLU) into a
/// weight-shared top layer (-> common space) and a shared linear classifier (common space -> classes).
/// Field names are the checkpoint keys.
/// </summary>
public sealed class CommonSpaceNetwork : Module
{
    private readonly Linear image_branch;
    private readonly Linear text_branch;
    private readonly SeededDropout dropout;
    private readonly Linear shared_top;
    private readonly Linear classifier;

    /// <param name="generator">
    /// The run's generator, for the initial weights and dropout masks; null for a network whose weights
    /// are loaded from a checkpoint and that is only evaluated.
    /// </param>
    internal CommonSpaceNetwork(int imageDim, int textDim, int hiddenDim, int commonDim, int classes, double dropoutRate, Generator? generator)
        : base("common_space")
    {
        image_branch = SeededLayers.Linear(imageDim, hiddenDim, generator);
        text_branch = SeededLayers.Linear(textDim, hiddenDim, generator);
        dropout = new SeededDropout(dropoutRate, generator);
        shared_top = SeededLayers.Linear(hiddenDim, commonDim, generator);
        classifier = SeededLayers.Linear(commonDim, classes, generator);
        CommonDim = commonDim;
        RegisterComponents();
    }

    public int CommonDim { get; }

    public Tensor EmbedImages(Tensor features) => Embed(image_branch, features);

    public Tensor EmbedTexts(Tensor features) => Embed(text_branch, features);

    /// <summary>Class scores of common-space vectors (shared by both modalities).</summary>
    public Tensor Classify(Tensor embeddings) => classifier.forward(embeddings);

    private Tensor Embed(Linear branch, Tensor features) =>
        shared_top.forward(dropout.forward(functional.relu(branch.forward(features))));
}
