using Bunit;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Web.Components.Shared;
using SemiCmr.Web.Tests.Components.Runs;

namespace SemiCmr.Web.Tests.Components.Shared;

public sealed class LocalTimeTests
{
    private static readonly DateTime Created = new(2026, 11, 29, 14, 5, 7, DateTimeKind.Utc);

    [Fact]
    public async Task BeforeTheBrowserHasToldItsZoneTheTimeIsShownInUtcAndSaysSo()
    {
        await using var context = MudTestContext.Create();

        var time = context.Render<LocalTime>(p => p.Add(t => t.Value, Created)).Find("time");

        Assert.Equal("2026-11-29 14:05 UTC", time.TextContent);
        Assert.Equal("2026-11-29T14:05:07Z", time.GetAttribute("datetime"));
        Assert.Equal("2026-11-29 14:05:07 UTC", time.GetAttribute("title"));
    }

    [Fact]
    public async Task OnceTheBrowserHasToldItsZoneShownTimesChangeToItsLocalTimeAndKeepTheUtcInstant()
    {
        await using var context = MudTestContext.Create();
        var rendered = context.Render<LocalTime>(p => p.Add(t => t.Value, Created));

        // Kathmandu is UTC+05:45: no whole-hour offset can pass by accident.
        context.Services.GetRequiredService<BrowserClock>().SetTimeZone("Asia/Kathmandu");

        rendered.WaitForAssertion(() => Assert.Equal("2026-11-29 19:50", rendered.Find("time").TextContent));
        Assert.Equal("2026-11-29T14:05:07Z", rendered.Find("time").GetAttribute("datetime"));
    }

    [Fact]
    public async Task AZoneTheServerDoesNotKnowLeavesTheTimeInUtc()
    {
        await using var context = MudTestContext.Create();
        var rendered = context.Render<LocalTime>(p => p.Add(t => t.Value, Created));

        context.Services.GetRequiredService<BrowserClock>().SetTimeZone("Mars/Olympus_Mons");

        Assert.Equal("2026-11-29 14:05 UTC", rendered.Find("time").TextContent);
    }

    [Fact]
    public async Task NoTimeIsShownAsADash()
    {
        await using var context = MudTestContext.Create();

        var rendered = context.Render<LocalTime>(p => p.Add(t => t.Value, null));

        Assert.Equal(Format.Missing, rendered.Markup.Trim());
    }
}
