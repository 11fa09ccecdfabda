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
    private readonly Dropout dropout;
    private readonly Linear shared_top;
    private readonly Linear classifier;

    public CommonSpaceNetwork(int imageDim, int textDim, int hiddenDim, int commonDim, int classes, double dropoutRate)
        : base("common_space")
    {
        image_branch = Linear(imageDim, hiddenDim);
        text_branch = Linear(textDim, hiddenDim);
        dropout = Dropout(dropoutRate);
        shared_top = Linear(hiddenDim, commonDim);
        classifier = Linear(commonDim, classes);
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
