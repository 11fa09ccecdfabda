using System.Runtime.CompilerServices;
using SemiCmr.Ml.Runtime;

namespace SemiCmr.Ml.Tests;

internal static class TorchThreads
{
    // Test assemblies run in parallel on small machines; libtorch's OpenMP threads spin-wait and
    // slow each other down by an order of magnitude when they compete for cores.
    [ModuleInitializer]
    internal static void UseOneThread() => TorchRuntime.SetThreads(1);
}
