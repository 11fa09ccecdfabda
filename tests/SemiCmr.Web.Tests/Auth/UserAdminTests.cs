using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Web.Auth;
using SemiCmr.Web.Components.Pages.Admin;
using SemiCmr.Web.Tests.Components.Runs;

namespace SemiCmr.Web.Tests.Auth;

/// <summary>An app in Accounts mode with an admin, an editor and a viewer, signed in; no data.</summary>
public sealed class UsersFixture : IAsyncLifetime
{
    public SemiCmrApp App { get; } = SemiCmrApp.InTempFolders("Accounts");
    public Dictionary<string, string> Cookies { get; } = [];
    public Dictionary<string, string> Ids { get; } = [];

    public HttpClient As(string user) => Accounts.As(App, Cookies[user]);

    public async ValueTask InitializeAsync()
    {
        foreach (var (name, role) in new[] { ("admin", Roles.Admin), ("ed", Roles.Editor), ("viewer", Roles.Viewer) })
        {
            Ids[name] = await Accounts.CreateUser(App, name, role);
            Cookies[name] = await Accounts.SignIn(App, name);
        }
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// The users page's service through <c>/api/users</c>: invitations by set-password link, role changes, disabling, deleting,
/// the rules that keep an admin, and who may do it (issue #12).
/// </summary>
public sealed class UserAdminTests(UsersFixture fixture) : IClassFixture<UsersFixture>
{
    private static CancellationToken Cancel => Xunit.TestContext.Current.CancellationToken;
    private const string NewPassword = "N3w!password";

    [Fact]
    public async Task An_admin_creates_a_user_whose_link_sets_a_password_once_and_who_signs_in_with_the_role()
    {
        var created = await CreateUser(fixture.As("admin"), "newbie", "editor");
        Assert.Equal(Roles.Editor, created.User.Role);
        Assert.Equal(UserState.Active, created.User.State);
        Assert.False(created.User.HasPassword);
        Assert.NotNull(created.User.CreatedAt);
        Assert.StartsWith(UserAdmin.SetPasswordPath + "?user=", created.Link.Path, StringComparison.Ordinal);
        Assert.InRange(created.Link.ExpiresAt, DateTime.UtcNow.Add(UserAdmin.LinkLifetime).AddMinutes(-5), DateTime.UtcNow.Add(UserAdmin.LinkLifetime));
        // No password yet: nothing signs in.
        Assert.DoesNotContain(Accounts.Cookies(await TrySignIn("newbie", "")), c => c.StartsWith("semicmr.auth=", StringComparison.Ordinal));

        var anonymous = Accounts.Anonymous(fixture.App);
        string page = await anonymous.GetStringAsync(created.Link.Path, Cancel);
        Assert.Contains("newbie", page, StringComparison.Ordinal);
        // Identity's password rules hold, and a refused password does not use the link up.
        var weak = await SetPassword(created.Link.Path, "short");
        Assert.Contains("Passwords must", await weak.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);

        var set = await SetPassword(created.Link.Path, NewPassword);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Contains("set-password-done", await set.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);

        // The link works once: the second use is refused and the first password stays.
        var again = await SetPassword(created.Link.Path, "0ther!password");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        string refused = await again.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("This link does not work", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("set-password-done", refused, StringComparison.Ordinal);
        Assert.DoesNotContain(Accounts.Cookies(await TrySignIn("newbie", "0ther!password")), c => c.StartsWith("semicmr.auth=", StringComparison.Ordinal));

        var newbie = Accounts.As(fixture.App, await Accounts.SignIn(fixture.App, "newbie", NewPassword));
        Assert.Equal(HttpStatusCode.BadRequest, (await newbie.PostAsJsonAsync("/api/runs", new { }, Cancel)).StatusCode); // an editor: validated, not refused
        Assert.Equal(HttpStatusCode.Forbidden, (await newbie.GetAsync("/api/users", Cancel)).StatusCode);

        var listed = Assert.Single(await List(), u => u.UserName == "newbie");
        Assert.True(listed.HasPassword);
        Assert.Equal(Roles.Editor, listed.Role);
    }

    [Fact]
    public async Task Creating_checks_the_name_and_role()
    {
        var admin = fixture.As("admin");
        foreach (var (body, field, status) in new (object, string, HttpStatusCode)[]
        {
            (new { userName = "", role = "viewer" }, "userName", HttpStatusCode.BadRequest),
            (new { userName = new string('n', 101), role = "viewer" }, "userName", HttpStatusCode.BadRequest),
            (new { userName = "has space", role = "viewer" }, "userName", HttpStatusCode.BadRequest),
            (new { userName = "fine", role = "owner" }, "role", HttpStatusCode.BadRequest),
            (new { userName = "ED", role = "viewer" }, "userName", HttpStatusCode.Conflict),
        })
        {
            var response = await admin.PostAsJsonAsync("/api/users", body, Cancel);
            Assert.Equal(status, response.StatusCode);
            Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["errors"]![field]);
        }
    }

    [Fact]
    public async Task A_role_change_ends_the_users_sessions_and_holds_when_they_sign_in_again()
    {
        var (id, cookie) = await NewUserSignedIn("mover", Roles.Viewer);
        var before = Accounts.As(fixture.App, cookie);
        Assert.Equal(HttpStatusCode.Forbidden, (await before.PostAsJsonAsync("/api/runs", new { }, Cancel)).StatusCode);

        var changed = await fixture.As("admin").PutAsJsonAsync($"/api/users/{id}/role", new { role = "editor" }, Cancel);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(Roles.Editor, (await changed.Content.ReadFromJsonAsync<UserResponse>(Json.Options, Cancel))!.Role);

        // The session's cookie carries the old security stamp: its next request is nobody's.
        Assert.Equal(HttpStatusCode.Unauthorized, (await before.GetAsync("/api/runs", Cancel)).StatusCode);
        var after = Accounts.As(fixture.App, await Accounts.SignIn(fixture.App, "mover", NewPassword));
        Assert.Equal(HttpStatusCode.BadRequest, (await after.PostAsJsonAsync("/api/runs", new { }, Cancel)).StatusCode);

        // The same role again changes nothing, so the new session goes on.
        Assert.Equal(HttpStatusCode.OK, (await fixture.As("admin").PutAsJsonAsync($"/api/users/{id}/role", new { role = "Editor" }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await after.GetAsync("/api/runs", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.As("admin").PutAsJsonAsync($"/api/users/{id}/role", new { role = "boss" }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.As("admin").PutAsJsonAsync("/api/users/no-such-id/role", new { role = "viewer" }, Cancel)).StatusCode);
    }

    [Fact]
    public async Task An_open_page_loses_its_sign_in_once_the_users_role_changes()
    {
        var (id, _) = await NewUserSignedIn("circuit", Roles.Editor);
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var provider = Assert.IsType<CircuitRevalidation>(scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>());
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<IdentityUser>>();
        var principal = await signIn.CreateUserPrincipalAsync((await signIn.UserManager.FindByIdAsync(id))!);
        Assert.True(await provider.IsCurrent(principal));

        Assert.Equal(HttpStatusCode.OK, (await fixture.As("admin").PutAsJsonAsync($"/api/users/{id}/role", new { role = "viewer" }, Cancel)).StatusCode);
        Assert.False(await provider.IsCurrent(principal));
    }

    [Fact]
    public async Task A_disabled_user_cannot_sign_in_nor_use_a_token_until_enabled()
    {
        var (id, cookie) = await NewUserSignedIn("dis", Roles.Editor);
        var session = Accounts.As(fixture.App, cookie);
        var token = await ApiTokenTests.CreateToken(session, "script", days: 5);
        var bearer = Accounts.Anonymous(fixture.App);
        bearer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Secret);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/runs", Cancel)).StatusCode);

        var disabled = await fixture.As("admin").PostAsync($"/api/users/{id}/disable", null, Cancel);
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.Equal(UserState.Disabled, (await disabled.Content.ReadFromJsonAsync<UserResponse>(Json.Options, Cancel))!.State);
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/runs", Cancel)).StatusCode);
        var byToken = await bearer.GetAsync("/api/runs", Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, byToken.StatusCode);
        Assert.Contains("disabled", await byToken.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        var signIn = await TrySignIn("dis", NewPassword);
        Assert.Contains("locked", await signIn.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.DoesNotContain(Accounts.Cookies(signIn), c => c.StartsWith("semicmr.auth=", StringComparison.Ordinal));
        // Failed attempts while disabled do not turn it into a lock that ends by itself.
        for (int i = 0; i < 6; i++) await TrySignIn("dis", "Wrong!pass1");
        Assert.Equal(UserState.Disabled, Assert.Single(await List(), u => u.Id == id).State);

        var enabled = await fixture.As("admin").PostAsync($"/api/users/{id}/enable", null, Cancel);
        Assert.Equal(UserState.Active, (await enabled.Content.ReadFromJsonAsync<UserResponse>(Json.Options, Cancel))!.State);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/runs", Cancel)).StatusCode);
        var back = Accounts.As(fixture.App, await Accounts.SignIn(fixture.App, "dis", NewPassword));
        Assert.Equal(HttpStatusCode.OK, (await back.GetAsync("/api/runs", Cancel)).StatusCode);
    }

    [Fact]
    public async Task An_admin_cannot_demote_disable_or_delete_themselves_but_another_admin_can()
    {
        var admin = fixture.As("admin");
        string self = fixture.Ids["admin"];
        foreach (var response in new[]
        {
            await admin.PutAsJsonAsync($"/api/users/{self}/role", new { role = "viewer" }, Cancel),
            await admin.PostAsync($"/api/users/{self}/disable", null, Cancel),
            await admin.DeleteAsync($"/api/users/{self}", Cancel),
        })
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains("another admin can", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        }
        Assert.Equal(Roles.Admin, Assert.Single(await List(), u => u.Id == self).Role);

        var (second, _) = await NewUserSignedIn("second-admin", Roles.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/users/{second}/disable", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/users/{second}/role", new { role = "viewer" }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/users/{second}", Cancel)).StatusCode);
        Assert.DoesNotContain(await List(), u => u.Id == second);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/users/{second}", Cancel)).StatusCode);
    }

    [Fact]
    public async Task An_admins_api_token_reads_accounts_but_cannot_change_them()
    {
        var token = await ApiTokenTests.CreateToken(fixture.As("admin"), "admin script", days: 5);
        var bearer = Accounts.Anonymous(fixture.App);
        bearer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Secret);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/users", Cancel)).StatusCode);
        var create = await bearer.PostAsJsonAsync("/api/users", new { userName = "backdoor", role = "admin" }, Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Contains("API token", await create.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await bearer.PostAsync($"/api/users/{fixture.Ids["viewer"]}/password-link", null, Cancel)).StatusCode);
        Assert.DoesNotContain(await List(), u => u.UserName == "backdoor");
    }

    [Fact]
    public async Task A_new_link_lets_a_user_who_forgot_their_password_choose_another()
    {
        var (id, cookie) = await NewUserSignedIn("forgetful", Roles.Viewer);
        var link = await fixture.As("admin").PostAsync($"/api/users/{id}/password-link", null, Cancel);
        Assert.Equal(HttpStatusCode.OK, link.StatusCode);
        var issued = (await link.Content.ReadFromJsonAsync<SetPasswordLink>(Json.Options, Cancel))!;
        // Until the link is used the old password works, and the session goes on.
        Assert.Equal(HttpStatusCode.OK, (await Accounts.As(fixture.App, cookie).GetAsync("/api/runs", Cancel)).StatusCode);

        Assert.Contains("set-password-done", await (await SetPassword(issued.Path, "Rem3mber!ed")).Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Accounts.As(fixture.App, cookie).GetAsync("/api/runs", Cancel)).StatusCode);
        Assert.DoesNotContain(Accounts.Cookies(await TrySignIn("forgetful", NewPassword)), c => c.StartsWith("semicmr.auth=", StringComparison.Ordinal));
        await Accounts.SignIn(fixture.App, "forgetful", "Rem3mber!ed");

        // A link whose user or code was altered is refused like a used one.
        var anonymous = Accounts.Anonymous(fixture.App);
        Assert.Contains("This link does not work", await anonymous.GetStringAsync($"{UserAdmin.SetPasswordPath}?user={id}&code=bm90LWEtdG9rZW4", Cancel), StringComparison.Ordinal);
        Assert.Contains("This link does not work", await anonymous.GetStringAsync(UserAdmin.SetPasswordPath, Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_users_page_lists_the_accounts_the_api_lists()
    {
        var api = await List();
        await using var context = MudTestContext.Create();
        context.Services.AddFallbackServiceProvider(fixture.App.Services);

        var page = context.Render<Users>();
        page.WaitForAssertion(() => Assert.Equal(api.Count, page.FindAll("[data-testid='user-name']").Count), TimeSpan.FromSeconds(10));
        Assert.Equal(api.Select(u => u.UserName), page.FindAll("[data-testid='user-name']").Select(td => td.TextContent.Trim()));
        Assert.Equal(api.Select(u => u.State.ToString()), page.FindAll("[data-testid='user-state']").Select(td => td.TextContent.Trim()));
    }

    /// <summary>A user created through the API, with <see cref="NewPassword"/> set through their link and signed in.</summary>
    private async Task<(string Id, string Cookie)> NewUserSignedIn(string name, string role)
    {
        var created = await CreateUser(fixture.As("admin"), name, role);
        Assert.Contains("set-password-done", await (await SetPassword(created.Link.Path, NewPassword)).Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        return (created.User.Id, await Accounts.SignIn(fixture.App, name, NewPassword));
    }

    public static async Task<CreatedUserResponse> CreateUser(HttpClient admin, string name, string role)
    {
        var response = await admin.PostAsJsonAsync("/api/users", new { userName = name, role }, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CreatedUserResponse>(Json.Options, Cancel))!;
    }

    private Task<HttpResponseMessage> SetPassword(string linkPath, string password) =>
        Accounts.PostForm(Accounts.Anonymous(fixture.App), linkPath,
            new Dictionary<string, string> { ["Input.Password"] = password, ["Input.Confirm"] = password });

    private Task<HttpResponseMessage> TrySignIn(string name, string password) =>
        Accounts.PostForm(Accounts.Anonymous(fixture.App), AuthExtensions.LoginPath,
            new Dictionary<string, string> { ["Input.UserName"] = name, ["Input.Password"] = password });

    private async Task<List<UserResponse>> List() => (await fixture.As("admin").GetFromJsonAsync<List<UserResponse>>("/api/users", Json.Options, Cancel))!;
}
