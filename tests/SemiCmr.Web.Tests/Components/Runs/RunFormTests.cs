using Bunit;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Components.Runs;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.Tests.Components.Runs;

public sealed class RunFormTests : IAsyncDisposable
{
    private readonly BunitContext context = MudTestContext.Create();
    private static readonly Dataset[] Datasets = [new() { Id = 1, Name = "wiki", Source = "folder", Status = DatasetStatus.Ready, ItemCount = 100 }];

    private IRenderedComponent<RunForm> Render(RunFormModel model) => context.Render<RunForm>(p => p
        .Add(f => f.Model, model).Add(f => f.Datasets, Datasets).Add(f => f.Budgets, []));

    [Fact]
    public void ANewFormHoldsEveryOptionsDefault()
    {
        var model = new RunFormModel();

        Assert.Equal(TrainingOptionCatalog.All.Select(o => o.Key).Order(), model.Options.Keys.Order());
        Assert.Equal(TrainingOptions.Default, model.ToOptions());
    }

    [Fact]
    public void AnOptionOutOfRangeShowsTheCatalogsRuleUnderItsField()
    {
        var model = new RunFormModel { DatasetId = 1 };
        model.SetOption("dropout", 0.99);
        var expected = "Dropout " + (TrainingOptions.Default with { Dropout = 0.99 }).Validate().Single().Problem;

        var form = Render(model);

        Assert.Contains(expected, FieldText(form, "options.dropout"));
        Assert.True(form.Find("[data-testid='start-run']").HasAttribute("disabled"));
        Assert.Contains("1 field(s) to fix", form.Find("[data-testid='form-errors']").TextContent);
    }

    [Fact]
    public void TypingAnOptionOutOfRangeShowsItsRuleAndItStaysAfterLeavingTheField()
    {
        var model = new RunFormModel { DatasetId = 1 };
        var form = Render(model);
        var input = form.Find("input[data-testid='option-options.dropout']");

        input.Input("0.99");
        form.Find("input[data-testid='option-options.dropout']").Blur();

        Assert.Contains("must be between", FieldText(form, "options.dropout"));
        Assert.Equal(0.99, model.Options["dropout"]);
    }

    [Fact]
    public void ARatioOutsideZeroToOneIsRefusedUnlessABudgetIsChosen()
    {
        var model = new RunFormModel { DatasetId = 1, Ratio = 1.5 };
        Assert.Contains("labelRatio", model.Validate().Keys);

        model.BudgetId = 3;
        Assert.DoesNotContain("labelRatio", model.Validate().Keys);
    }

    [Fact]
    public void AWholeNumberOptionRejectsAFraction()
    {
        var model = new RunFormModel { DatasetId = 1 };
        model.SetOption("batchSize", 12.5);

        Assert.Equal("Batch size must be a whole number.", model.Validate()["options.batchSize"]);
    }

    [Fact]
    public void QuickPresetShortensBothStagesAndDefaultRestoresThem()
    {
        var model = new RunFormModel();

        model.ApplyPreset(RunPreset.Quick);
        Assert.Equal((5, 5), (model.ToOptions().Stage1Epochs, model.ToOptions().Stage2Epochs));
        model.ApplyPreset(RunPreset.Default);
        Assert.Equal(TrainingOptions.Default, model.ToOptions());
    }

    [Fact]
    public void ServerMessagesAreShownUntilTheFieldChanges()
    {
        var model = new RunFormModel { DatasetId = 1 };
        model.ServerErrors["options.alpha"] = "from the server";

        Assert.Contains("from the server", FieldText(Render(model), "options.alpha"));
        model.SetOption("alpha", 0.2);
        Assert.DoesNotContain("options.alpha", model.Validate().Keys);
    }

    [Fact]
    public void TheRequestCarriesTheMethodNameAndNoRatioWhenABudgetIsChosen()
    {
        var model = new RunFormModel { DatasetId = 1, BudgetId = 4, Method = Method.Cca, Seed = 7 };

        var request = model.ToRequest();

        Assert.Equal(("cca", (double?)null, 4, 7), (request.Method, request.LabelRatio, request.BudgetId, request.Seed));
    }

    /// <summary>The text around an option's input: label, helper or error line.</summary>
    private static string FieldText(IRenderedComponent<RunForm> form, string key) =>
        form.Find($"[data-testid='option-{key}']").Closest(".mud-input-control")!.TextContent;

    public ValueTask DisposeAsync() => context.DisposeAsync();
}
