namespace SemiCmr.Ml.Tests;

/// <summary>
/// Tests that change or depend on libtorch's process-wide thread count run alone, after the parallel tests:
/// changing the thread count under a running training corrupts it. So do tests that run TorchSharp code
/// handing native code temporary Scalars (TORCHSHARP.md), out of reach of ScalarLifetimeTests' collections.
/// (Runs no longer use libtorch's global generator, so determinism tests need not be here.)
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchGlobalState
{
    public const string Name = "libtorch global state";
}
