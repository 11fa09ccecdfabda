using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Web.Audit;
using SemiCmr.Web.Auth;
using SemiCmr.Web.Components.Pages.Admin;
using SemiCmr.Web.Data;
using SemiCmr.Web.Runs;
using SemiCmr.Web.Tests.Components.Runs;

namespace SemiCmr.Web.Tests.Auth;

/// <summary>
/// The audit log through <c>/api/audit</c>: every create, cancel and delete of a dataset, run, budget or account, and
/// every change to an account, with who did it; refused actions leave nothing; pages newest first, filtered, bounded.
/// </summary>
public sealed class AuditLogTests(AccountsFixture fixture) : IClassFixture<AccountsFixture>
{
    private static CancellationToken Cancel => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_action_is_recorded_once_with_who_did_it_and_refused_ones_are_not()
    {
        var ed = fixture.As("ed");
        var admin = fixture.As("admin");
        string datasetId = Id(fixture.DatasetId), firstRun = Id(fixture.RunId);

        var budget = await ed.PostAsJsonAsync($"/api/datasets/{fixture.DatasetId}/budgets", new { ratio = 0.2, seed = 3 }, Cancel);
        Assert.Equal(HttpStatusCode.Created, budget.StatusCode);
        string budgetId = (await budget.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Cancel)).GetProperty("id").GetInt32().ToString(CultureInfo.InvariantCulture);

        // A run long enough to be queued or training when it is cancelled, then deleted once it has stopped.
        var started = await ed.PostAsJsonAsync("/api/runs",
            new { datasetId = fixture.DatasetId, method = "sscmr", labelRatio = 0.1, options = new { stage1Epochs = 1000, stage2Epochs = 1000 } }, Cancel);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var run = (await started.Content.ReadFromJsonAsync<RunResponse>(Json.Options, Cancel))!;
        Assert.Equal(HttpStatusCode.Accepted, (await ed.PostAsync($"/api/runs/{run.Id}/cancel", null, Cancel)).StatusCode);
        for (var deadline = DateTime.UtcNow.AddSeconds(30); (await ed.GetFromJsonAsync<RunResponse>($"/api/runs/{run.Id}", Json.Options, Cancel))!.Status != RunStatus.Cancelled;)
        {
            Assert.True(DateTime.UtcNow < deadline, "the cancelled run did not stop");
            await Task.Delay(100, Cancel);
        }
        Assert.Equal(HttpStatusCode.NoContent, (await ed.DeleteAsync($"/api/runs/{run.Id}", Cancel)).StatusCode);

        int others = await fixture.Import(fixture.As("other"), "other's");
        // Refused: not theirs, nothing to cancel. Neither leaves an entry.
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.As("other").DeleteAsync($"/api/datasets/{fixture.DatasetId}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ed.PostAsync($"/api/runs/{fixture.RunId}/cancel", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/datasets/{others}", Cancel)).StatusCode);

        var user = await UserAdminTests.CreateUser(admin, "audited", "viewer");
        string userId = user.User.Id;
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/users/{userId}/role", new { role = "editor" }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/users/{userId}/disable", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/users/{userId}/enable", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/users/{userId}/password-link", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/users/{userId}", Cancel)).StatusCode);

        var log = await Page("/api/audit?limit=100");
        (string Actor, AuditSubject Subject, AuditAction Action, string SubjectId)[] expected =
        [
            ("ed", AuditSubject.Dataset, AuditAction.Created, datasetId),
            ("ed", AuditSubject.Run, AuditAction.Created, firstRun),
            ("ed", AuditSubject.Budget, AuditAction.Created, budgetId),
            ("ed", AuditSubject.Run, AuditAction.Created, Id(run.Id)),
            ("ed", AuditSubject.Run, AuditAction.Cancelled, Id(run.Id)),
            ("ed", AuditSubject.Run, AuditAction.Deleted, Id(run.Id)),
            ("other", AuditSubject.Dataset, AuditAction.Created, Id(others)),
            ("admin", AuditSubject.Dataset, AuditAction.Deleted, Id(others)),
            ("admin", AuditSubject.User, AuditAction.Created, userId),
            ("admin", AuditSubject.User, AuditAction.RoleChanged, userId),
            ("admin", AuditSubject.User, AuditAction.Disabled, userId),
            ("admin", AuditSubject.User, AuditAction.Enabled, userId),
            ("admin", AuditSubject.User, AuditAction.PasswordLinkIssued, userId),
            ("admin", AuditSubject.User, AuditAction.Deleted, userId),
        ];
        // Oldest first here; the log answers newest first. Other tests of the fixture add entries of their own.
        var mine = log.Entries.Reverse().Where(e => expected.Any(x => x.Subject == e.Subject && x.SubjectId == e.SubjectId)).ToList();
        Assert.Equal(expected, mine.Select(e => (e.Actor, e.Subject, e.Action, e.SubjectId)));
        Assert.Equal(fixture.Ids["ed"], mine[0].ActorId);
        Assert.All(log.Entries, e => Assert.True(e.At <= DateTime.UtcNow && e.At > DateTime.UtcNow.AddMinutes(-30)));
        Assert.Equal("features", mine[0].SubjectName);
        Assert.Equal("other's", mine[7].SubjectName);
        Assert.Equal("audited", mine[^1].SubjectName);
        Assert.Equal("Viewer → Editor", mine[9].Detail);
        Assert.Contains(mine[4].Detail, new[] { "was queued", "was training: it stops within a batch" });
    }

    [Fact]
    public async Task Pages_are_newest_first_filtered_by_kind_or_user_and_bounded()
    {
        var budget = await fixture.As("ed").PostAsJsonAsync($"/api/datasets/{fixture.DatasetId}/budgets", new { ratio = 0.3, seed = 4 }, Cancel);
        Assert.Equal(HttpStatusCode.Created, budget.StatusCode);
        await UserAdminTests.CreateUser(fixture.As("admin"), "paged", "viewer");

        var all = await Page("/api/audit?limit=100");
        Assert.True(all.Total >= 4, $"{all.Total} entries");
        Assert.Equal(all.Entries.Select(e => e.Id).OrderDescending(), all.Entries.Select(e => e.Id));
        Assert.Equal((AuditSubject.User, "paged"), (all.Entries[0].Subject, all.Entries[0].SubjectName));

        var second = await Page("/api/audit?offset=1&limit=2");
        Assert.Equal((all.Total, 1, 2), (second.Total, second.Offset, second.Limit));
        Assert.Equal(all.Entries.Skip(1).Take(2).Select(e => e.Id), second.Entries.Select(e => e.Id));

        var budgets = await Page("/api/audit?kind=budget");
        Assert.NotEmpty(budgets.Entries);
        Assert.All(budgets.Entries, e => Assert.Equal(AuditSubject.Budget, e.Subject));
        var eds = await Page("/api/audit?user=ed");
        Assert.NotEmpty(eds.Entries);
        Assert.All(eds.Entries, e => Assert.Equal("ed", e.Actor));
        Assert.Equal(all.Entries.Count(e => e.Actor == "ed"), eds.Total);
        Assert.Empty((await Page("/api/audit?user=nobody")).Entries);
        // The page's "By" filter offers the names the log holds.
        Assert.Equal(all.Entries.Select(e => e.Actor).Distinct().Order(StringComparer.Ordinal),
            await fixture.App.Services.GetRequiredService<AuditLog>().Actors(Cancel));

        foreach (var bad in new[] { "kind=bogus", "kind=1", "limit=0", "limit=101", "offset=-1" })
            Assert.Equal(HttpStatusCode.BadRequest, (await fixture.As("admin").GetAsync($"/api/audit?{bad}", Cancel)).StatusCode);
    }

    [Fact]
    public async Task The_audit_page_shows_what_the_api_lists_newest_first()
    {
        var budget = await fixture.As("ed").PostAsJsonAsync($"/api/datasets/{fixture.DatasetId}/budgets", new { ratio = 0.4, seed = 5 }, Cancel);
        Assert.Equal(HttpStatusCode.Created, budget.StatusCode);
        var api = await Page("/api/audit?limit=50");
        await using var context = MudTestContext.Create();
        context.Services.AddFallbackServiceProvider(fixture.App.Services);

        var page = context.Render<AuditLogPage>();
        page.WaitForAssertion(() => Assert.Equal(api.Entries.Count, page.FindAll("[data-testid='audit-actor']").Count), TimeSpan.FromSeconds(10));
        Assert.Equal(api.Entries.Select(e => e.Actor), page.FindAll("[data-testid='audit-actor']").Select(e => e.TextContent.Trim()));
        Assert.StartsWith($"budget {(await budget.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Cancel)).GetProperty("id").GetInt32()} (of features)",
            page.FindAll("[data-testid='audit-subject']")[0].TextContent.Trim(), StringComparison.Ordinal);
    }

    private async Task<AuditPage> Page(string path) => (await fixture.As("admin").GetFromJsonAsync<AuditPage>(path, Json.Options, Cancel))!;

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
