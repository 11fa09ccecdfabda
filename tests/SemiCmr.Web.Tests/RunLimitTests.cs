using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Components.Runs;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.RunReports;
using SemiCmr.Web.Runs;

namespace SemiCmr.Web.Tests;

[Collection(FeatureCollection.Name)]
public sealed class RunLimitTests(FeatureAppFixture fixture)
{
    private static readonly RunLimits DefaultLimits = new(Options.Create(new TrainingHostOptions()));

    /// <summary>1 GiB of features (the default upload limit): 32,768 pairs of 4,096-d image and text features.</summary>
    private static readonly RunShape LargeDataset = new(ImageDim: 4096, TextDim: 4096, Classes: 1000, Items: 32_768, TrainItems: 30_000);

    [Fact]
    public async Task HugeHiddenAndCommonDimensionsAreRefusedNamingThemAndTheLimitAndNothingIsQueued()
    {
        var client = fixture.App.CreateClient();
        var runsBefore = await client.GetFromJsonAsync<List<RunResponse>>("/api/runs", Json.Options, TestContext.Current.CancellationToken);

        var response = await client.PostAsJsonAsync("/api/runs", new
        {
            datasetId = fixture.DatasetId, method = "sscmr", labelRatio = 0.1, options = new { hiddenDim = 8192, commonDim = 8192, stage1Epochs = 1, stage2Epochs = 1 },
        }, TestContext.Current.CancellationToken);

        var problem = await Problem.Read(response, HttpStatusCode.BadRequest);
        Assert.Contains("50,000,000", problem.Errors["options.hiddenDim"][0]);
        Assert.Contains("Training:MaxParameters", problem.Errors["options.commonDim"][0]);
        var runsAfter = await client.GetFromJsonAsync<List<RunResponse>>("/api/runs", Json.Options, TestContext.Current.CancellationToken);
        Assert.Equal(runsBefore!.Select(r => r.Id), runsAfter!.Select(r => r.Id));
    }

    [Fact]
    public async Task EpochsBeyondTheLimitAreRefusedNamingTheStageAndTheLimit()
    {
        var response = await fixture.App.CreateClient().PostAsJsonAsync("/api/runs", new
        {
            datasetId = fixture.DatasetId, method = "full", labelRatio = 0.1, options = new { stage2Epochs = 10_000 },
        }, TestContext.Current.CancellationToken);

        var problem = await Problem.Read(response, HttpStatusCode.BadRequest);
        Assert.Equal(["options.stage2Epochs"], problem.Errors.Keys);
        Assert.Contains("1,000", problem.Errors["options.stage2Epochs"][0]);
    }

    [Theory]
    [InlineData(RunPreset.Quick)]
    [InlineData(RunPreset.Default)]
    [InlineData(RunPreset.Thorough)]
    public void EveryPresetOfEveryMethodFitsTheDefaultLimitsOnAGigabyteOfFeatures(RunPreset preset)
    {
        var model = new RunFormModel();
        model.ApplyPreset(preset);

        foreach (var method in Enum.GetValues<Method>())
            Assert.Empty(DefaultLimits.Check(LargeDataset, method, model.ToOptions()));
    }

    [Fact]
    public void ABatchTooLargeForMemoryIsRefusedNamingBatchSize()
    {
        var errors = DefaultLimits.Check(LargeDataset with { TrainItems = 65_536, Items = 70_000 }, Method.Sscmr, TrainingOptions.Default with { BatchSize = 65_536 });

        Assert.Equal(["options.batchSize"], errors.Keys);
        Assert.Contains("Training:MaxMemoryBytes", errors["options.batchSize"][0]);
    }

    [Fact]
    public void ADatasetTooLargeForTheLimitsWithDefaultOptionsIsNamedInsteadOfAnOption()
    {
        var limits = new RunLimits(Options.Create(new TrainingHostOptions { MaxRunDiskBytes = 1024 * 1024 }));

        var errors = limits.Check(LargeDataset, Method.Full, TrainingOptions.Default);

        Assert.Equal(["datasetId"], errors.Keys);
        Assert.Contains("Training:MaxRunDiskBytes", errors["datasetId"][0]);
    }
}
