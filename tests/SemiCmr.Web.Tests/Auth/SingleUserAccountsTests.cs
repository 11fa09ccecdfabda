using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Web.Audit;
using SemiCmr.Web.Auth;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.Tests.Auth;

/// <summary>
/// Accounts managed from single-user mode, whose local admin is no account: nothing but the last-admin rule stops it
/// from removing every admin, and what it does is recorded as "local".
/// </summary>
public sealed class SingleUserAccountsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_last_enabled_admin_is_never_demoted_disabled_or_deleted()
    {
        await using var app = SemiCmrApp.InTempFolders();
        var client = app.CreateClient();
        string only = await Accounts.CreateUser(app, "only", Roles.Admin);
        await RefusedAsLastAdmin(client, only);

        string spare = await Accounts.CreateUser(app, "spare", Roles.Admin);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/users/{spare}/disable", null, Cancel)).StatusCode);
        // A disabled admin does not count: "only" is the last enabled one again.
        await RefusedAsLastAdmin(client, only);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/users/{spare}/enable", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/users/{only}/role", new { role = "editor" }, Cancel)).StatusCode);
        await RefusedAsLastAdmin(client, spare);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            Assert.Equal(["spare"], (await users.GetUsersInRoleAsync(Roles.Admin)).Select(u => u.UserName));
        }

        var audit = (await client.GetFromJsonAsync<AuditPage>("/api/audit?kind=user", Json.Options, Cancel))!;
        Assert.Equal([AuditAction.RoleChanged, AuditAction.Enabled, AuditAction.Disabled], audit.Entries.Select(e => e.Action));
        Assert.All(audit.Entries, e => Assert.Equal((LocalUserHandler.UserId, "local"), (e.ActorId, e.Actor)));
        Assert.Equal("Admin → Editor", audit.Entries[0].Detail);
    }

    [Fact]
    public async Task A_link_older_than_its_lifespan_is_refused()
    {
        await using var app = SemiCmrApp.InTempFolders();
        app.TestServices = services => services.PostConfigure<DataProtectionTokenProviderOptions>(options => options.TokenLifespan = TimeSpan.Zero);
        var created = await UserAdminTests.CreateUser(app.CreateClient(), "late", "viewer");

        var anonymous = Accounts.Anonymous(app);
        Assert.Contains("This link does not work", await anonymous.GetStringAsync(created.Link.Path, Cancel), StringComparison.Ordinal);
        var posted = await Accounts.PostForm(anonymous, created.Link.Path,
            new Dictionary<string, string> { ["Input.Password"] = Accounts.Password, ["Input.Confirm"] = Accounts.Password });
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        string page = await posted.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("This link does not work", page, StringComparison.Ordinal);
        Assert.DoesNotContain("set-password-done", page, StringComparison.Ordinal);
        var users = (await app.CreateClient().GetFromJsonAsync<List<UserResponse>>("/api/users", Json.Options, Cancel))!;
        Assert.False(Assert.Single(users).HasPassword);
    }

    [Fact]
    public async Task A_dataset_made_in_single_user_mode_is_recorded_as_the_local_users()
    {
        await using var app = SemiCmrApp.InTempFolders();
        int id = await app.ImportFolder(TinyDatasets.Write(app.ImportRoot, "tiny"), "tiny");
        await app.WaitForDataset(id);
        var entry = Assert.Single((await app.CreateClient().GetFromJsonAsync<AuditPage>("/api/audit", Json.Options, Cancel))!.Entries);
        Assert.Equal((AuditSubject.Dataset, AuditAction.Created, id.ToString(System.Globalization.CultureInfo.InvariantCulture), "tiny", "local"),
            (entry.Subject, entry.Action, entry.SubjectId, entry.SubjectName, entry.Actor));
    }

    private static async Task RefusedAsLastAdmin(HttpClient client, string id)
    {
        foreach (var response in new[]
        {
            await client.PutAsJsonAsync($"/api/users/{id}/role", new { role = "viewer" }, Cancel),
            await client.PostAsync($"/api/users/{id}/disable", null, Cancel),
            await client.DeleteAsync($"/api/users/{id}", Cancel),
        })
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains("only enabled admin", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        }
    }
}
