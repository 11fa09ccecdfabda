using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Models;

/// <summary>Maps standardised features of either modality into the common space (neural or CCA).</summary>
internal interface ICommonSpaceProjector : IDisposable
{
    /// <summary>Dimension of the common space.</summary>
    int Dimensions { get; }

    /// <summary>Bytes of its weights in memory (parameters, or CCA's means and projections).</summary>
    long WeightBytes { get; }

    FeatureMatrix ProjectImages(FeatureMatrix standardized);
    FeatureMatrix ProjectTexts(FeatureMatrix standardized);
    void Save(string directory);
}
