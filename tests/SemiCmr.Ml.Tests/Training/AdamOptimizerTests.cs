using SemiCmr.Ml.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemiCmr.Ml.Tests.Training;

/// <summary>
/// The hand-written Adam (written to own its Scalars, TORCHSHARP.md) must take the steps torch.optim.Adam
/// takes. In the collection that runs alone because it also runs TorchSharp's own Adam, which hands native
/// code temporary Scalars: ScalarLifetimeTests' collection pressure must not run beside it.
/// </summary>
[Collection(TorchGlobalState.Name)]
public sealed class AdamOptimizerTests
{
    private const double LearningRate = 0.1, WeightDecay = 0.05;

    // Entry 2 starts at 0 with gradients of about 1e-9, so on the first step the epsilon (1e-8) in the
    // denominator shrinks its move to a tenth; entry 3 has no gradient, so only the L2 weight decay moves it
    // (decoupled, AdamW-style decay would leave 2 * (1 - lr * wd) = 1.99 after one step, not 1.9).
    private static readonly double[] Start = [0.5, -1.5, 0.0, 2.0];
    private static readonly double[][] Gradients =
    [
        [0.3, -0.2, 1e-9, 0.0],
        [-0.1, 0.4, 2e-9, 0.0],
        [0.25, 0.05, -3e-9, 0.0],
    ];

    // The parameters after each step by the update in PyTorch's documentation of torch.optim.Adam (betas 0.9
    // and 0.999, eps 1e-8, weight_decay added to the gradient, bias-corrected moments, eps outside the square
    // root), computed once in double precision by a separate script, not by the code under test:
    //   g += wd * p; m = b1 * m + (1 - b1) * g; v = b2 * v + (1 - b2) * g * g
    //   p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
    private static readonly double[][] PyTorchSteps =
    [
        [0.40000000307692296, -1.4000000036363636, -0.009090909090909092, 1.900000009999999],
        [0.3527328903719003, -1.414294476204316, 0.06532031136068418, 1.8001665058259757],
        [0.2842887479224101, -1.4222521797955716, 0.009973693179620394, 1.7006234219067622],
    ];

    [Fact]
    public void EachStepMovesTheParametersAsTorchOptimAdamDoes()
    {
        using var scope = NewDisposeScope();
        var parameter = new Parameter(tensor(Start, float64));
        using var adam = new AdamOptimizer([parameter], LearningRate, WeightDecay);

        var steps = Steps(parameter, adam.ZeroGrad, adam.Step);

        for (int t = 0; t < PyTorchSteps.Length; t++)
            for (int i = 0; i < Start.Length; i++)
                Assert.Equal(PyTorchSteps[t][i], steps[t][i], 1e-12);
    }

    [Fact]
    public void EachStepIsBitForBitTheStepOfTorchSharpsAdam()
    {
        using var scope = NewDisposeScope();
        var ours = new Parameter(tensor(Start, float64));
        var theirs = new Parameter(tensor(Start, float64));
        using var adam = new AdamOptimizer([ours], LearningRate, WeightDecay);
        // The constructor, not torch.optim.Adam(...), whose beta2 defaults to 0.99 in TorchSharp 0.107.
        using var reference = new Adam([theirs], LearningRate, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: WeightDecay);

        var expected = Steps(theirs, () => reference.zero_grad(), () => reference.step());

        Assert.Equal(expected, Steps(ours, adam.ZeroGrad, adam.Step));
    }

    /// <summary>The parameter's values after each step on <see cref="Gradients"/>.</summary>
    private static double[][] Steps(Parameter parameter, Action zeroGrad, Action step)
    {
        var after = new double[Gradients.Length][];
        for (int t = 0; t < Gradients.Length; t++)
        {
            using var scope = NewDisposeScope();
            zeroGrad();
            // The gradient of sum(p * g) with respect to p is exactly g.
            parameter.mul(tensor(Gradients[t], float64)).sum().backward();
            step();
            after[t] = parameter.detach().data<double>().ToArray();
        }
        return after;
    }
}
