using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bunit;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Components.Runs;
using SemiCmr.Web.Data;
using SemiCmr.Web.Tests.Components.Runs;

namespace SemiCmr.Web.Tests;

/// <summary>Every option of <see cref="TrainingOptionCatalog"/> reaches the new-run form and the REST API (the CLI: CliHelpTests).</summary>
[Collection(FeatureCollection.Name)]
public sealed class TrainingOptionSurfaceTests(FeatureAppFixture fixture) : IAsyncDisposable
{
    private readonly BunitContext context = MudTestContext.Create();

    public static TheoryData<string> Keys() => new(TrainingOptionCatalog.All.Select(o => o.Key));

    [Theory]
    [MemberData(nameof(Keys))]
    public void TheFormHasAnInputWithTheOptionsLabelHelpRangeAndDefault(string key)
    {
        var option = TrainingOptionCatalog.Find(key);
        Dataset[] datasets = [new() { Id = 1, Name = "wiki", Source = "folder", Status = DatasetStatus.Ready, ItemCount = 100 }];

        var form = context.Render<RunForm>(p => p.Add(f => f.Model, new RunFormModel { DatasetId = 1 }).Add(f => f.Datasets, datasets));

        var field = form.Find($"input[data-testid='option-options.{key}']").Closest(".mud-input-control")!.TextContent;
        Assert.Contains(option.Label, field);
        Assert.Contains(option.Help, field);
        Assert.Contains($"{TrainingOption.Text(option.Min)} to {TrainingOption.Text(option.Max)}, default {TrainingOption.Text(option.Default)}.", field);
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task TheOpenApiSchemaGivesTheOptionsHelpRangeAndDefault(string key)
    {
        var option = TrainingOptionCatalog.Find(key);

        using var document = JsonDocument.Parse(await fixture.App.CreateClient().GetStringAsync("/openapi/v1.json", Xunit.TestContext.Current.CancellationToken));

        var property = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("TrainingOptions").GetProperty("properties").GetProperty(key);
        Assert.Equal((option.Min, option.Max, option.Default), (property.GetProperty("minimum").GetDouble(), property.GetProperty("maximum").GetDouble(), property.GetProperty("default").GetDouble()));
        Assert.Contains(option.Help, property.GetProperty("description").GetString());
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task TheApiRefusesAValueAboveTheRangeWithAProblemNamingTheOption(string key)
    {
        var option = TrainingOptionCatalog.Find(key);
        var request = new { datasetId = fixture.DatasetId, method = "sscmr", labelRatio = 0.1, options = new Dictionary<string, double> { [key] = option.Max + 1 } };

        var response = await fixture.App.CreateClient().PostAsJsonAsync("/api/runs", request, Xunit.TestContext.Current.CancellationToken);

        var problem = await Problem.Read(response, HttpStatusCode.BadRequest);
        Assert.Equal([$"options.{key}"], problem.Errors.Keys);
        Assert.Equal($"{key} must be between {TrainingOption.Text(option.Min)} and {TrainingOption.Text(option.Max)}; got {TrainingOption.Text(option.Max + 1)}.", problem.Errors[$"options.{key}"].Single());
    }

    public ValueTask DisposeAsync() => context.DisposeAsync();
}
