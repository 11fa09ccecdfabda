using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace SemiCmr.Ml.Training.StageTwo;

/// <summary>
/// The three stage-2 losses of one batch. Every label-dependent term is weighted per item by the
/// confidence of its label (1 for true labels, the stage-1 confidence for predicted ones, 0 for
/// items that have neither).
/// </summary>
internal static class CommonSpaceLosses
{
    /// <summary>J1: the shared classifier maps both embeddings of an item onto its label vector.</summary>
    public static Tensor LabelSpace(Tensor imageScores, Tensor textScores, Tensor labels, Tensor weights)
    {
        var perItem = (imageScores - labels).pow(2).sum(1) + (textScores - labels).pow(2).sum(1);
        return (perItem * weights).sum() / weights.sum().clamp_min(1e-6);
    }

    /// <summary>
    /// J2: for every pair (i, j) of the batch, image-text, image-image and text-text, the negative
    /// log-likelihood of "shares a label" under sigmoid(theta), theta = scale * cos / 2.
    /// </summary>
    public static Tensor CommonSpace(Tensor imageEmbeddings, Tensor textEmbeddings, Tensor labels, Tensor weights, double scale)
    {
        var u = normalize(imageEmbeddings, dim: 1);
        var v = normalize(textEmbeddings, dim: 1);
        var similar = (labels.matmul(labels.t()) > 0).to(u.dtype);
        var pairWeights = weights.unsqueeze(1) * weights.unsqueeze(0);
        var normaliser = pairWeights.sum().clamp_min(1e-6);
        Tensor Term(Tensor a, Tensor b)
        {
            var theta = a.matmul(b.t()) * (scale / 2);
            return ((softplus(theta) - similar * theta) * pairWeights).sum() / normaliser;
        }
        return Term(u, v) + Term(u, u) + Term(v, v);
    }

    /// <summary>J3: the two embeddings of the same pair are close; uses every pair, labeled or not.</summary>
    public static Tensor ModalityInvariance(Tensor imageEmbeddings, Tensor textEmbeddings) =>
        (imageEmbeddings - textEmbeddings).pow(2).sum(1).mean();
}
