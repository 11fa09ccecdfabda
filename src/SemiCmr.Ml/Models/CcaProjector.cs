using SemiCmr.Ml.Data;
using SemiCmr.Ml.Training.Cca;

namespace SemiCmr.Ml.Models;

/// <summary>The CCA baseline as a projector; saved as cca.json (means and projection matrices).</summary>
internal sealed class CcaProjector(CcaModel model) : ICommonSpaceProjector
{
    public static CcaProjector Load(string directory) =>
        new(CcaModel.FromState(ModelFiles.ReadJson<CcaState>(Path.Combine(directory, ModelFiles.Cca))));

    public int Dimensions => model.Dimensions;

    public long WeightBytes
    {
        get
        {
            var state = model.State;
            return 4L * (state.ImageMean.Length + state.TextMean.Length + state.ImageProjection.Length + state.TextProjection.Length)
                + 8L * state.Correlations.Length;
        }
    }

    public FeatureMatrix ProjectImages(FeatureMatrix standardized) => model.ProjectImages(standardized);

    public FeatureMatrix ProjectTexts(FeatureMatrix standardized) => model.ProjectTexts(standardized);

    public void Save(string directory) => ModelFiles.WriteJson(Path.Combine(directory, ModelFiles.Cca), model.State);

    public void Dispose() { }
}
