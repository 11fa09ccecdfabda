using System.Text;
using SemiCmr.Web.Progress;

namespace SemiCmr.Web.Tests.Relay;

public sealed class ProgressNotificationTests
{
    private static readonly Guid From = Guid.NewGuid();

    private static int Bytes(string payload) => Encoding.UTF8.GetByteCount(payload);

    [Fact]
    public void AnEventTravelsWhole()
    {
        var run = new RunProgressEvent(3, "succeeded", "evaluation", 5, 5, 1, new Dictionary<string, double> { ["total"] = 0.5, ["diverged"] = double.NaN },
            0.7, IsFinal: true, new RunMetricsDto(0.8, 0.75, 0.9, 40, 1.5, 2.5));

        var decoded = ProgressNotification.Decode(ProgressNotification.Encode(From, new ProgressUpdate(Run: run))!)!;

        Assert.Equal(From, decoded.From);
        Assert.Equal(run with { Loss = decoded.Run!.Loss }, decoded.Run);
        Assert.Equal(0.5, decoded.Run.Loss["total"]);
        Assert.True(double.IsNaN(decoded.Run.Loss["diverged"]));
        Assert.Null(decoded.Import);
    }

    [Fact]
    public void ManyLossTermsAreTrimmedToFitAndTheRestOfTheEventIsKept()
    {
        var loss = Enumerable.Range(0, 2000).ToDictionary(i => $"term_with_a_long_name_{i:D4}", i => i / 3.0);
        var run = new RunProgressEvent(9, "running", "commonSpace", 7, 50, 0.3, loss, 0.42);

        string payload = ProgressNotification.Encode(From, new ProgressUpdate(Run: run))!;
        var decoded = ProgressNotification.Decode(payload)!.Run!;

        Assert.InRange(Bytes(payload), 7000, ProgressNotification.MaxPayloadBytes - 1);
        Assert.InRange(decoded.Loss.Count, 1, loss.Count - 1);
        Assert.All(decoded.Loss, term => Assert.Equal(loss[term.Key], term.Value));
        Assert.Equal(loss.Keys.Take(decoded.Loss.Count), decoded.Loss.Keys); // the first terms, in order
        Assert.Equal(run with { Loss = decoded.Loss }, decoded);
    }

    [Fact]
    public void AHugeErrorIsCutAndTheFinalEventStillTravels()
    {
        var import = new ImportProgressEvent(4, "failed", "done", 0, 0, 0, null, IsFinal: true, Error: new string('é', 20_000));

        string payload = ProgressNotification.Encode(From, new ProgressUpdate(Import: import))!;
        var decoded = ProgressNotification.Decode(payload)!.Import!;

        Assert.True(Bytes(payload) < ProgressNotification.MaxPayloadBytes);
        Assert.True(decoded.IsFinal);
        Assert.Equal(ProgressNotification.MaxErrorChars + 1, decoded.Error!.Length);
        Assert.StartsWith(new string('é', 100), decoded.Error);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("{\"from\":\"00000000-0000-0000-0000-000000000000\",\"import\":{\"datasetId\":1,\"status\":\"importing\",\"phase\":\"texts\"}}")]
    [InlineData("{\"from\":\"3f2504e0-4f89-11d3-9a0c-0305e82c3301\"}")]
    public void WhatIsNotAProgressNotificationIsIgnored(string payload) => Assert.Null(ProgressNotification.Decode(payload));
}
