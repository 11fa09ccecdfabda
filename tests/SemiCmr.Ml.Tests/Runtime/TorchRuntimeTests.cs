using SemiCmr.Ml.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SemiCmr.Ml.Tests.Runtime;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void TorchSharpRunsAForwardAndBackwardPass()
    {
        var device = TorchRuntime.ResolveDevice(DeviceRequest.Cpu);
        using var scope = NewDisposeScope();
        var layer = nn.Linear(4, 2).to(device);
        var input = ones(3, 4, device: device);
        var loss = layer.forward(input).pow(2).sum();
        loss.backward();

        var gradient = layer.weight!.grad!;
        Assert.Equal(new long[] { 2, 4 }, gradient.shape);
        Assert.True(gradient.abs().sum().item<float>() > 0f);
    }

    [Fact]
    public void CudaRequestWithoutCudaFailsWithAClearMessage()
    {
        if (cuda.is_available()) return; // only meaningful on machines without a GPU
        var error = Assert.Throws<InvalidOperationException>(() => TorchRuntime.ResolveDevice(DeviceRequest.Cuda));
        Assert.Contains("CUDA was requested but is not available", error.Message);
    }

    [Fact]
    public void AutoFallsBackToCpuWithoutCuda()
    {
        var device = TorchRuntime.ResolveDevice(DeviceRequest.Auto);
        Assert.Equal(cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, device.type);
    }

    [Theory]
    [InlineData("auto", DeviceRequest.Auto)]
    [InlineData("CPU", DeviceRequest.Cpu)]
    [InlineData("cuda", DeviceRequest.Cuda)]
    public void DeviceNamesAreParsed(string text, DeviceRequest expected) =>
        Assert.Equal(expected, TorchRuntime.ParseDevice(text));

    [Fact]
    public void UnknownDeviceNameIsRefused() =>
        Assert.Contains("use auto, cpu or cuda", Assert.Throws<ArgumentException>(() => TorchRuntime.ParseDevice("tpu")).Message);

    [Fact]
    public void ThreadCountIsHonoured()
    {
        int before = TorchRuntime.Threads;
        TorchRuntime.SetThreads(1);
        Assert.Equal(1, TorchRuntime.Threads);
        TorchRuntime.SetThreads(before);
    }
}
