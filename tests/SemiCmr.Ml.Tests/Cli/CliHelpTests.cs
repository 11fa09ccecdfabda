using System.Globalization;
using SemiCmr.Cli.Common;
using SemiCmr.Ml.Training;

namespace SemiCmr.Ml.Tests.Cli;

public sealed class CliHelpTests
{
    [Theory]
    [InlineData("train", new[] { "--data", "--method", "--label-ratio", "--label-count", "--seed", "--out", "--device", "--threads", "--stage1-epochs" })]
    [InlineData("eval", new[] { "--model", "--data", "--map-r", "--precision-at", "--device", "--threads" })]
    [InlineData("bench", new[] { "--data", "--methods", "--ratios", "--seeds", "--json", "--device", "--threads", "--stage2-epochs" })]
    public void HelpOfEveryCommandListsItsOptions(string command, string[] options)
    {
        var (exitCode, output) = CliHarness.Run(command, "--help");

        Assert.Equal(0, exitCode);
        foreach (var option in options) Assert.Contains(option, output);
    }

    [Theory]
    [InlineData("train")]
    [InlineData("bench")]
    public void HelpShowsAFlagWithTheDefaultForEveryTrainingOption(string command)
    {
        var (_, output) = CliHarness.Run(command, "--help");

        foreach (var property in typeof(TrainingOptions).GetProperties().Where(p => p.CanWrite))
        {
            var line = CliHarness.Line(output, TrainingOptionSettings.FlagName(property.Name) + " ");
            var expected = Convert.ToString(property.GetValue(TrainingOptions.Default), CultureInfo.InvariantCulture)!;
            Assert.Contains(" " + expected + " ", line);
        }
    }

    [Fact]
    public void TrainHelpSaysTheLabelRatioIsIgnoredByFullAndCca()
    {
        var (_, output) = CliHarness.Run("train", "--help");

        Assert.Contains("Ignored by full and cca", CliHarness.Line(output, "--label-ratio <R>"));
    }
}
