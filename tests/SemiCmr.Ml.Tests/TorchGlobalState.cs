namespace SemiCmr.Ml.Tests;

/// <summary>
/// Tests that change or depend on libtorch's process-wide state (its thread count, its random generator)
/// run alone, after the parallel tests: changing the thread count under a running training corrupts it, and
/// another training would draw from the same generator.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchGlobalState
{
    public const string Name = "libtorch global state";
}
