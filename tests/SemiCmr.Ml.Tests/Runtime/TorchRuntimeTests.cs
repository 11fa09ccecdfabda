using SemiCmr.Ml.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SemiCmr.Ml.Tests.Runtime;

[Collection(TorchGlobalState.Name)]
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
        if (cuda.is_available()) Assert.Skip("This machine has CUDA; the message is for machines without it.");
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
        try
        {
            TorchRuntime.SetThreads(before == 2 ? 3 : 2);
            Assert.Equal(before == 2 ? 3 : 2, TorchRuntime.Threads);
        }
        finally
        {
            TorchRuntime.SetThreads(before);
        }
    }
}
