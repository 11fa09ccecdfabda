using Bunit;
using MudBlazor;
using SemiCmr.Ml.Analysis;
using SemiCmr.Web.Components.Shared;
using SemiCmr.Web.Tests.Components.Runs;

namespace SemiCmr.Web.Tests.Components.Shared;

/// <summary>Class pickers stay light for a dataset whose items each carry their own class (thousands of classes).</summary>
public sealed class ClassPickerTests : IAsyncDisposable
{
    private static readonly IReadOnlyList<string> ManyClasses = Enumerable.Range(0, 3000).Select(c => $"c{c}").ToList();
    private readonly BunitContext context = MudTestContext.Create();

    [Fact]
    public async Task APickerOffersAtMostTheShownLimitOfMatchesPlusOneToSayMoreMatch()
    {
        var picker = context.Render<ClassPicker>(p => p.Add(c => c.Classes, ManyClasses));
        var autocomplete = picker.FindComponent<MudAutocomplete<string>>().Instance;

        var everything = await Offered(autocomplete, "");
        var narrowed = await Offered(autocomplete, "c299");
        var inside = await Offered(autocomplete, "99");

        Assert.Equal(ClassLimits.MaxShown + 1, everything.Count);
        Assert.Equal(ClassLimits.MaxShown, picker.FindComponent<MudAutocomplete<string>>().Instance.MaxItems);
        Assert.Equal(["c299", "c2990", "c2991", "c2992", "c2993", "c2994", "c2995", "c2996", "c2997", "c2998", "c2999"], narrowed);
        Assert.Equal(["c99", "c199", "c299", "c399"], inside.Take(4)); // any part of the name matches, in class order
    }

    [Fact]
    public async Task ChoosingClassesAddsChipsAndClosingOneRemovesIt()
    {
        IReadOnlyList<string> chosen = [];
        var picker = context.Render<ClassesPicker>(p => p
            .Add(c => c.Classes, ManyClasses)
            .Add(c => c.Values, chosen)
            .Add(c => c.ValuesChanged, values => chosen = values));

        await picker.InvokeAsync(() => picker.FindComponent<ClassPicker>().Instance.ValueChanged.InvokeAsync("c7"));
        picker.Render(p => p.Add(c => c.Values, chosen));
        await picker.InvokeAsync(() => picker.FindComponent<ClassPicker>().Instance.ValueChanged.InvokeAsync("c42"));
        picker.Render(p => p.Add(c => c.Values, chosen));

        Assert.Equal(["c7", "c42"], chosen);
        Assert.Equal(["c7", "c42"], picker.FindAll("[data-testid=chosen-class]").Select(chip => chip.TextContent.Trim()));
        var offered = await Offered(picker.FindComponent<MudAutocomplete<string>>().Instance, "c7");
        Assert.DoesNotContain("c7", offered); // a chosen class is not offered again

        await picker.InvokeAsync(() => picker.FindComponent<MudChipSet<string>>().Instance.OnClose.InvokeAsync(
            picker.FindComponents<MudChip<string>>().First().Instance));

        Assert.Equal(["c42"], chosen);
    }

    /// <summary>What the picker lists for the typed text (its search function, as the dropdown calls it).</summary>
    private static async Task<List<string>> Offered(MudAutocomplete<string> autocomplete, string text)
    {
        var search = autocomplete.SearchFunc!(text, Xunit.TestContext.Current.CancellationToken)!;
        return (await search)!.ToList();
    }

    public ValueTask DisposeAsync() => context.DisposeAsync();
}
