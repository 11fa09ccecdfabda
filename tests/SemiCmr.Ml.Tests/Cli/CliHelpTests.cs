using System.Globalization;
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

    public static TheoryData<string, string> CommandsAndTrainingOptions() =>
        new(from command in new[] { "train", "bench" } from option in TrainingOptionCatalog.All select (command, option.Key));

    [Theory]
    [MemberData(nameof(CommandsAndTrainingOptions))]
    public void HelpListsEveryTrainingOptionWithItsFlagDefaultHelpAndRange(string command, string key)
    {
        var option = TrainingOptionCatalog.Find(key);

        var (_, output) = CliHarness.Run(command, "--help");

        var line = CliHarness.Line(output, option.Flag + " ");
        Assert.Contains(" " + Convert.ToString(option.Get(TrainingOptions.Default), CultureInfo.InvariantCulture) + " ", line);
        Assert.Contains(option.Help, line);
        Assert.Contains($"From {TrainingOption.Text(option.Min)} to {TrainingOption.Text(option.Max)}.", line);
    }

    [Fact]
    public void TrainHelpSaysTheLabelRatioIsIgnoredByFullAndCca()
    {
        var (_, output) = CliHarness.Run("train", "--help");

        Assert.Contains("Ignored by full and cca", CliHarness.Line(output, "--label-ratio <R>"));
    }
}
