using System.Text.Json;
using SemiCmr.Ml.Models;
using SemiCmr.Ml.Training;

namespace SemiCmr.Ml.Tests.Training;

public sealed class TrainingOptionCatalogTests
{
    [Fact]
    public void EveryTrainingOptionsPropertyHasExactlyOneCatalogEntryNamedLikeItsJson()
    {
        var json = JsonSerializer.SerializeToElement(TrainingOptions.Default, ModelFiles.Json);
        var properties = typeof(TrainingOptions).GetProperties().Where(p => p.CanWrite).Select(p => p.Name).Order();

        Assert.Equal(properties, TrainingOptionCatalog.All.Select(o => o.Property).Order());
        foreach (var option in TrainingOptionCatalog.All)
            Assert.Equal(option.Get(TrainingOptions.Default), json.GetProperty(option.Key).GetDouble());
    }

    [Fact]
    public void EveryDefaultIsWithinItsRangeAndEveryOptionRoundTripsThroughItsSetter()
    {
        Assert.Empty(TrainingOptions.Default.Validate());
        foreach (var option in TrainingOptionCatalog.All)
        {
            var changed = option.With(TrainingOptions.Default, option.Max);
            Assert.Equal(option.Max, option.Get(changed));
            Assert.Equal([option.Property], TrainingOptionCatalog.All.Where(o => o.Get(changed) != o.Default).Select(o => o.Property));
        }
    }

    [Fact]
    public void AValueOutsideTheRangeIsAProblemOfThatOptionSayingTheRange()
    {
        var problems = (TrainingOptions.Default with { Dropout = 0.99, Stage1Epochs = 0 }).Validate();

        Assert.Equal(["Dropout", "Stage1Epochs"], problems.Select(p => p.Option.Property).Order());
        Assert.Equal("must be between 0 and 0.95; got 0.99.", problems.Single(p => p.Option.Key == "dropout").Problem);
    }

    [Fact]
    public void FlagsAreTheKebabCaseOfTheProperty()
    {
        Assert.Equal("--stage1-epochs", TrainingOptionCatalog.Find("stage1Epochs").Flag);
        Assert.Equal("--cca-regularization", TrainingOptionCatalog.Find(nameof(TrainingOptions.CcaRegularization)).Flag);
    }
}
