using SemiCmr.Ml.Torch;
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
        using Scalar tiny = 1e-6.ToScalar();
        var perItem = (imageScores - labels).Squared().sum(1).Plus((textScores - labels).Squared().sum(1));
        return (perItem * weights).sum() / weights.sum().clamp_min(tiny);
    }

    /// <summary>
    /// J2: for every pair (i, j) of the batch, image-text, image-image and text-text, the negative
    /// log-likelihood of "shares a label" under sigmoid(theta), theta = scale * cos / 2.
    /// </summary>
    public static Tensor CommonSpace(Tensor imageEmbeddings, Tensor textEmbeddings, Tensor labels, Tensor weights, double scale)
    {
        using Scalar zero = 0.ToScalar(), tiny = 1e-6.ToScalar(), halfScale = (scale / 2).ToScalar();
        var u = normalize(imageEmbeddings, dim: 1);
        var v = normalize(textEmbeddings, dim: 1);
        var similar = labels.matmul(labels.t()).gt(zero).to(u.dtype);
        var pairWeights = weights.unsqueeze(1) * weights.unsqueeze(0);
        var normaliser = pairWeights.sum().clamp_min(tiny);
        Tensor Term(Tensor a, Tensor b)
        {
            var theta = a.matmul(b.t()).mul(halfScale);
            return ((theta.Softplus() - similar * theta) * pairWeights).sum() / normaliser;
        }
        return Term(u, v).Plus(Term(u, u)).Plus(Term(v, v));
    }

    /// <summary>J3: the two embeddings of the same pair are close; uses every pair, labeled or not.</summary>
    public static Tensor ModalityInvariance(Tensor imageEmbeddings, Tensor textEmbeddings) =>
        (imageEmbeddings - textEmbeddings).Squared().sum(1).mean();
}
