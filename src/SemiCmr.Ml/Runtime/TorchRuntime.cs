using TorchSharp;

namespace SemiCmr.Ml.Runtime;

/// <summary>What the user asks for: auto picks CUDA when this build and machine have it.</summary>
public enum DeviceRequest { Auto, Cpu, Cuda }

/// <summary>Chooses the torch device and thread count once per process, with clear errors.</summary>
public static class TorchRuntime
{
    public static DeviceRequest ParseDevice(string value) => value.Trim().ToLowerInvariant() switch
    {
        "auto" => DeviceRequest.Auto,
        "cpu" => DeviceRequest.Cpu,
        "cuda" or "gpu" => DeviceRequest.Cuda,
        _ => throw new ArgumentException($"Unknown device '{value}': use auto, cpu or cuda."),
    };

    /// <summary>Loads the native library and resolves the device; throws a readable error on failure.</summary>
    public static torch.Device ResolveDevice(DeviceRequest request)
    {
        EnsureLoaded();
        bool cuda = torch.cuda.is_available();
        return request switch
        {
            DeviceRequest.Cpu => torch.CPU,
            DeviceRequest.Auto => cuda ? torch.CUDA : torch.CPU,
            _ when cuda => torch.CUDA,
            _ => throw new InvalidOperationException(
                "CUDA was requested but is not available: this build uses the CPU TorchSharp package or no " +
                "CUDA GPU/driver was found. Build with -p:TorchBackend=cuda on a machine with an NVIDIA GPU, " +
                "or use --device cpu / auto."),
        };
    }

    /// <summary>Sets the intra-op thread count (0 keeps libtorch's default).</summary>
    public static void SetThreads(int threads)
    {
        if (threads < 0) throw new ArgumentOutOfRangeException(nameof(threads), threads, "Threads must be 0 (default) or more.");
        EnsureLoaded();
        if (threads > 0) torch.set_num_threads(threads);
    }

    public static int Threads
    {
        get { EnsureLoaded(); return torch.get_num_threads(); }
    }

    private static void EnsureLoaded()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException(
                "TorchSharp's native library could not be loaded. On Debian 12 the build patches its copy of " +
                "libLibTorchSharp.so (build/GlibcxxCompat.cs); run the app through 'dotnet build'/'dotnet run' " +
                "or 'dotnet publish' so that step runs. Cause: " + e.Message, e);
        }
    }
}
