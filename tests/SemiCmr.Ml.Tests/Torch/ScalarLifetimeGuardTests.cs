using TorchSharp;
using static TorchSharp.torch;

namespace SemiCmr.Ml.Tests.Torch;

/// <summary>
/// The rule of src/SemiCmr.Ml/TORCHSHARP.md holds in every product source that calls TorchSharp, and the
/// guard that checks it does fail on the calls that crashed training under load.
/// </summary>
public sealed class ScalarLifetimeGuardTests
{
    private const string Usings = "using TorchSharp;\nusing static TorchSharp.torch;\n";

    [Theory]
    [InlineData("src/SemiCmr.Ml", "SemiCmr.Ml", false, 100)]
    [InlineData("src/SemiCmr.Cli", "semicmr", false, 1)]
    [InlineData("src/SemiCmr.Web", "SemiCmr.Web", true, 1)]
    public void NoProductSourceHandsLibtorchAScalarThatNothingKeepsAlive(string project, string assembly, bool web, int leastTorchCalls)
    {
        var scan = ScalarLifetimeScanner.ScanProject(Path.Combine(TestPaths.RepoRoot, project), assembly, web);

        Assert.True(scan.Offences.Count == 0, "Scalars that libtorch may use after they are freed (see src/SemiCmr.Ml/TORCHSHARP.md):\n"
            + string.Join("\n", scan.Offences));
        Assert.True(scan.TorchSharpCalls >= leastTorchCalls, $"the scan resolved only {scan.TorchSharpCalls} TorchSharp calls in {project}");
    }

    [Theory]
    [InlineData("var c = a + b;", "Tensor.op_Addition(Tensor, Tensor)")]
    [InlineData("var c = a.add(b);", "Tensor.add(Tensor)")]
    [InlineData("a.add_(b);", "Tensor.add_(Tensor)")]
    [InlineData("using Scalar e = 1e-8.ToScalar(); a.add_(e);", "Tensor.add_(Scalar)")]
    [InlineData("var c = a.addcdiv(a, b);", "Tensor.addcdiv(Tensor, Tensor)")]
    [InlineData("var c = a.square();", "Tensor.square()")]
    [InlineData("var c = a.softplus();", "Tensor.softplus(Double, Double)")]
    [InlineData("var c = nn.functional.softplus(a);", "softplus")]
    [InlineData("var c = a * 0.5;", "Tensor.op_Multiply(Tensor, Double)")]
    [InlineData("var c = 1.0 - a;", "Tensor.op_Subtraction(Double, Tensor)")]
    [InlineData("var c = a / 2.0;", "Tensor.op_Division(Tensor, Double)")]
    [InlineData("var c = a.clamp_min(1e-6);", "implicit conversion of double to Scalar")]
    [InlineData("var c = a.pow(2);", "implicit conversion of int to Scalar")]
    [InlineData("double n = 3; var c = a.div(n);", "implicit conversion of double to Scalar")]
    [InlineData("var c = a.gt(0);", "implicit conversion of int to Scalar")]
    [InlineData("using Scalar s = 0.5;", "implicit conversion of double to Scalar")]
    [InlineData("var c = a.mul(0.5.ToScalar());", "not owned")]
    [InlineData("Scalar s = 0.5.ToScalar(); var c = a.mul(s);", "not owned")]
    public void TheGuardFlagsEveryWayToMakeATemporaryScalar(string statements, string expected)
    {
        var scan = ScalarLifetimeScanner.Scan([("Bad.cs", Usings + "class Bad\n{\n    void F(Tensor a, Tensor b)\n    {\n        " + statements + "\n    }\n}\n")]);

        var offence = Assert.Single(scan.Offences);
        Assert.Equal(("Bad.cs", 7), (offence.File, offence.Line));
        Assert.Contains(expected, offence.Problem);
    }

    [Fact]
    public void TheGuardPassesOwnedScalarsAndTensorOnlyOperations()
    {
        const string good = Usings + """
            class Good
            {
                private static readonly Scalar One = 1.ToScalar();
                Tensor F(Tensor a, Tensor b, double rate)
                {
                    using Scalar half = 0.5.ToScalar(), tiny = (rate / 2).ToScalar();
                    using var noGrad = no_grad();
                    var c = a.add(b, One).mul(half).clamp_min(tiny) - b * a / b;
                    c.add_(b, One).addcmul_(a, b, half).div_(tiny).pow(One);
                    return nn.functional.normalize(c, dim: 1).sum(1).mean();
                }
            }
            """;

        var scan = ScalarLifetimeScanner.Scan([("Good.cs", good)]);

        Assert.Empty(scan.Offences);
        Assert.True(scan.TorchSharpCalls >= 10, $"only {scan.TorchSharpCalls} TorchSharp calls resolved");
    }

    [Fact]
    public void TheHazardsReadFromTorchSharpAreTheConvenienceOverloadsNotTheOnesWithOwnedScalars()
    {
        var hazards = ScalarHazards.Describe(typeof(Tensor)).ToHashSet();

        Assert.Subset(hazards, new HashSet<string>
            { "add(Tensor)", "add(Scalar)", "add_(Tensor)", "add_(Scalar)", "addcdiv(Tensor, Tensor)", "addcdiv_(Tensor, Tensor)", "square()", "softplus(Double, Double)" });
        Assert.Contains("op_Addition(Tensor, Tensor)", hazards);
        Assert.Contains("op_Multiply(Tensor, Double)", hazards);
        Assert.DoesNotContain("add(Tensor, Scalar)", hazards);
        Assert.DoesNotContain("add_(Scalar, Scalar)", hazards);
        Assert.DoesNotContain("addcmul_(Tensor, Tensor, Scalar)", hazards);
        Assert.DoesNotContain("mul(Scalar)", hazards);
        Assert.DoesNotContain("sub(Tensor)", hazards);
        Assert.DoesNotContain("pow(Scalar)", hazards);
        Assert.DoesNotContain("op_Subtraction(Tensor, Tensor)", hazards);
        Assert.DoesNotContain("op_Multiply(Tensor, Tensor)", hazards);
    }
}
