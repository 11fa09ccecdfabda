using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

namespace SemiCmr.Ml.Torch;

/// <summary>
/// Owned Scalars and the operations whose TorchSharp overloads would otherwise hand native code a
/// Scalar that nothing keeps alive (see TORCHSHARP.md). TorchSharp passes a Scalar's raw handle to
/// libtorch, so a temporary one (an implicit conversion, or the default alpha of <c>a + b</c>) is
/// unreachable during the call and a collection on another thread can finalise and free it mid-call.
/// The Scalars here live in static fields for the whole process: never dispose them. Each one is the
/// value TorchSharp's own overload would have passed, so results are bit-identical.
/// </summary>
internal static class Scalars
{
    /// <summary>The alpha of add(Tensor) and <c>a + b</c> (TorchSharp converts the int 1).</summary>
    public static readonly Scalar One = 1.ToScalar();

    // square() is pow(2) with the int 2.
    private static readonly Scalar Two = 2.ToScalar();

    // softplus()'s defaults, converted from doubles as TorchSharp does.
    private static readonly Scalar SoftplusBeta = 1.0.ToScalar(), SoftplusThreshold = 20.0.ToScalar();

    // Tensor.softplus(double, double) converts its arguments to temporaries before calling this private
    // overload, the only one that reaches libtorch's softplus kernel (forward and backward) with Scalars we own.
    private static readonly Func<Tensor, Scalar, Scalar, Tensor> SoftplusWithScalars =
        typeof(Tensor).GetMethod("softplus1", BindingFlags.Instance | BindingFlags.NonPublic, [typeof(Scalar), typeof(Scalar)])
            ?.CreateDelegate<Func<Tensor, Scalar, Scalar, Tensor>>()
        ?? throw new InvalidOperationException("TorchSharp no longer has Tensor.softplus1(Scalar, Scalar); see src/SemiCmr.Ml/TORCHSHARP.md.");

    /// <summary><c>a + b</c> without TorchSharp's temporary alpha.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary><c>a.add_(b)</c> without TorchSharp's temporary alpha.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);

    /// <summary><c>a.add_(s)</c> for an owned Scalar, without TorchSharp's temporary alpha.</summary>
    public static Tensor PlusInPlace(this Tensor a, Scalar s) => a.add_(s, One);

    /// <summary><c>x.square()</c>, which is pow(2) with a temporary 2.</summary>
    public static Tensor Squared(this Tensor x) => x.pow(Two);

    /// <summary><c>x.softplus()</c> (beta 1, threshold 20) with owned Scalars.</summary>
    public static Tensor Softplus(this Tensor x) => SoftplusWithScalars(x, SoftplusBeta, SoftplusThreshold);
}
