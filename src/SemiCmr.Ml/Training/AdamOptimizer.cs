using SemiCmr.Ml.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemiCmr.Ml.Training;

/// <summary>
/// Adam with L2 weight decay, the update of torch.optim.Adam. It is written here because TorchSharp's
/// version hands temporary Scalars (converted from doubles) to native code, and under allocation pressure
/// from other threads the garbage collector can finalise such a temporary during the call (seen as
/// "Expected false to be true ... Scalar.h"). Here every Scalar lives in a variable until its operation
/// returns, including the alpha that add_(Scalar) would create (see TORCHSHARP.md).
/// </summary>
internal sealed class AdamOptimizer : IDisposable
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _means;
    private readonly Tensor[] _squares;
    private readonly double _learningRate;
    private readonly double _weightDecay;
    private int _steps;

    public AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate, double weightDecay)
    {
        _parameters = parameters.ToArray();
        _means = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _squares = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _learningRate = learningRate;
        _weightDecay = weightDecay;
    }

    public void ZeroGrad()
    {
        using var scope = NewDisposeScope();
        foreach (var parameter in _parameters) parameter.grad?.zero_();
    }

    public void Step()
    {
        _steps++;
        double correction1 = 1 - Math.Pow(Beta1, _steps), correction2 = 1 - Math.Pow(Beta2, _steps);
        using var noGrad = no_grad();
        using Scalar beta1 = Beta1.ToScalar(), keep1 = (1 - Beta1).ToScalar(), beta2 = Beta2.ToScalar(), keep2 = (1 - Beta2).ToScalar();
        using Scalar decay = _weightDecay.ToScalar();
        using Scalar rootCorrection2 = Math.Sqrt(correction2).ToScalar(), epsilon = Epsilon.ToScalar(), stepSize = (-_learningRate / correction1).ToScalar();
        for (int i = 0; i < _parameters.Length; i++)
        {
            using var scope = NewDisposeScope();
            var gradient = _parameters[i].grad;
            if (gradient is null) continue;
            var g = _weightDecay != 0 ? gradient.add(_parameters[i], decay) : gradient;
            _means[i].mul_(beta1).add_(g, keep1);
            _squares[i].mul_(beta2).addcmul_(g, g, keep2);
            var denominator = _squares[i].sqrt().div_(rootCorrection2).PlusInPlace(epsilon);
            _parameters[i].addcdiv_(_means[i], denominator, stepSize);
        }
    }

    public void Dispose()
    {
        foreach (var tensor in _means.Concat(_squares)) tensor.Dispose();
    }
}
