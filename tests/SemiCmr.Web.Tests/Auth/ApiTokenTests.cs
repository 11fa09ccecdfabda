using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Web.Auth;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.Tests.Auth;

/// <summary>Personal API tokens: bearer access to REST and the hub, revocation, expiry, the role cap, and hashed storage.</summary>
public sealed class ApiTokenTests(AccountsFixture fixture) : IClassFixture<AccountsFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_token_works_for_rest_and_the_hub_until_it_is_revoked()
    {
        var created = await CreateToken(fixture.As("ed"), "script", days: 30);
        var bearer = Bearer(created.Secret);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/runs", Cancel)).StatusCode);
        var search = await bearer.PostAsJsonAsync($"/api/runs/{fixture.RunId}/search", new { itemId = "0", k = 3 }, Cancel);
        Assert.True(search.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"search: {search.StatusCode}");
        await using (var hub = Hub(created.Secret))
        {
            await hub.StartAsync(Cancel);
            Assert.True(await hub.InvokeAsync<bool>("Watch", fixture.RunId, Cancel));
        }
        // The query string, as browser WebSockets send it, counts on the hub path only.
        var anonymous = Accounts.Anonymous(fixture.App);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsync($"/hubs/runs/negotiate?negotiateVersion=1&access_token={created.Secret}", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/runs?access_token={created.Secret}", Cancel)).StatusCode);

        var revoked = await fixture.As("ed").DeleteAsync($"/api/tokens/{created.Token.Id}", Cancel);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(TokenState.Revoked, (await revoked.Content.ReadFromJsonAsync<TokenResponse>(Json.Options, Cancel))!.State);

        var refused = await bearer.GetAsync("/api/runs", Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("revoked", (string)JsonNode.Parse(await refused.Content.ReadAsStringAsync(Cancel))!["detail"]!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await anonymous.PostAsync($"/hubs/runs/negotiate?negotiateVersion=1&access_token={created.Secret}", null, Cancel)).StatusCode);
        await using var refusedHub = Hub(created.Secret);
        var error = await Assert.ThrowsAnyAsync<HttpRequestException>(() => refusedHub.StartAsync(Cancel));
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var created = await CreateToken(fixture.As("viewer"), "expiring", days: 1);
        Assert.Equal(HttpStatusCode.OK, (await Bearer(created.Secret).GetAsync("/api/datasets", Cancel)).StatusCode);
        await using (var db = await Db())
            await db.ApiTokens.Where(t => t.Id == created.Token.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, DateTime.UtcNow.AddMinutes(-1)), Cancel);

        var refused = await Bearer(created.Secret).GetAsync("/api/datasets", Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("expired", await refused.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        var listed = await fixture.As("viewer").GetFromJsonAsync<List<TokenResponse>>("/api/tokens", Json.Options, Cancel);
        Assert.Equal(TokenState.Expired, Assert.Single(listed!, t => t.Id == created.Token.Id).State);
    }

    [Fact]
    public async Task A_viewer_token_of_an_editor_reads_but_cannot_delete_or_train()
    {
        var created = await CreateToken(fixture.As("ed"), "read only", days: 7, role: "viewer");
        Assert.Equal(Roles.Viewer, created.Token.Role);
        var bearer = Bearer(created.Secret);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync($"/api/runs/{fixture.RunId}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bearer.DeleteAsync($"/api/runs/{fixture.RunId}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bearer.DeleteAsync($"/api/datasets/{fixture.DatasetId}", Cancel)).StatusCode);
        var train = await bearer.PostAsJsonAsync("/api/runs", new { datasetId = fixture.DatasetId, method = "sscmr", labelRatio = 0.1 }, Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, train.StatusCode);
    }

    [Fact]
    public async Task A_token_is_capped_by_its_users_current_role_and_stops_when_the_user_is_locked_out_or_deleted()
    {
        string id = await Accounts.CreateUser(fixture.App, "demoted", Roles.Editor);
        var created = await CreateToken(Accounts.As(fixture.App, await Accounts.SignIn(fixture.App, "demoted")), "editing", days: 7);
        Assert.Equal(Roles.Editor, created.Token.Role);
        var bearer = Bearer(created.Secret);
        var labels = $"/api/datasets/{fixture.DatasetId}/items/0/labels";
        Assert.NotEqual(HttpStatusCode.Forbidden, (await bearer.PutAsJsonAsync(labels, new { labels = new[] { "c0" } }, Cancel)).StatusCode);

        await WithUser(id, async (users, user) =>
        {
            await users.RemoveFromRoleAsync(user, Roles.Editor);
            await users.AddToRoleAsync(user, Roles.Viewer);
        });
        Assert.Equal(HttpStatusCode.Forbidden, (await bearer.PutAsJsonAsync(labels, new { labels = new[] { "c0" } }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/runs", Cancel)).StatusCode);

        await WithUser(id, (users, user) => users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue));
        var locked = await bearer.GetAsync("/api/runs", Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        Assert.Contains("locked out", await locked.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);

        await WithUser(id, (users, user) => users.DeleteAsync(user));
        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync("/api/runs", Cancel)).StatusCode);
        await using var db = await Db();
        Assert.False(await db.ApiTokens.AnyAsync(t => t.UserId == id, Cancel));
    }

    [Fact]
    public async Task Secrets_are_stored_only_as_hashes_and_never_listed()
    {
        var created = await CreateToken(fixture.As("viewer"), "hashed", days: 5);
        Assert.StartsWith(TokenSecret.Marker, created.Secret, StringComparison.Ordinal);
        Assert.Equal(TokenSecret.Marker.Length + 43, created.Secret.Length);

        // Every column of every row, read as the database holds it.
        await using var db = await Db();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(Cancel);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM \"ApiTokens\"";
        await using var reader = await command.ExecuteReaderAsync(Cancel);
        string secretPart = created.Secret[ApiToken.PrefixLength..];
        bool found = false;
        while (await reader.ReadAsync(Cancel))
        {
            for (int i = 0; i < reader.FieldCount; i++)
            {
                string text = reader.GetValue(i) switch { byte[] bytes => Encoding.Latin1.GetString(bytes) + Convert.ToHexString(bytes), var v => $"{v}" };
                Assert.DoesNotContain(secretPart, text, StringComparison.OrdinalIgnoreCase);
            }
            if (reader.GetInt32(reader.GetOrdinal("Id")) == created.Token.Id)
            {
                found = true;
                Assert.Equal(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(created.Secret)), (byte[])reader["Hash"]);
            }
        }
        Assert.True(found);

        string list = await fixture.As("viewer").GetStringAsync("/api/tokens", Cancel);
        Assert.Contains(created.Token.Prefix, list, StringComparison.Ordinal);
        Assert.DoesNotContain(secretPart, list, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", list, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Creating_is_bounded_and_needs_a_sign_in()
    {
        var viewer = fixture.As("viewer");
        foreach (var (body, field) in new (object, string)[]
        {
            (new { name = "x", days = 0 }, "days"), (new { name = "x", days = 366 }, "days"), (new { name = "x" }, "days"),
            (new { name = " ", days = 5 }, "name"), (new { name = new string('n', 101), days = 5 }, "name"),
            (new { name = "x", days = 5, role = "editor" }, "role"), (new { name = "x", days = 5, role = "owner" }, "role"),
        })
        {
            var response = await viewer.PostAsJsonAsync("/api/tokens", body, Cancel);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["errors"]![field]);
        }

        var created = await CreateToken(viewer, "maker", days: 5);
        var byToken = await Bearer(created.Secret).PostAsJsonAsync("/api/tokens", new { name = "child", days = 365 }, Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, byToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Bearer(created.Secret).GetAsync("/api/tokens", Cancel)).StatusCode);
    }

    [Fact]
    public async Task Another_users_token_cannot_be_revoked_and_unknown_tokens_are_refused()
    {
        var created = await CreateToken(fixture.As("ed"), "mine", days: 5);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.As("other").DeleteAsync($"/api/tokens/{created.Token.Id}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Bearer(created.Secret).GetAsync("/api/runs", Cancel)).StatusCode);

        string forged = created.Secret[..^1] + (created.Secret[^1] == 'A' ? 'B' : 'A');
        Assert.Equal(HttpStatusCode.Unauthorized, (await Bearer(forged).GetAsync("/api/runs", Cancel)).StatusCode);
        var notOurs = await Bearer("ghp_something").GetAsync("/api/runs", Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, notOurs.StatusCode);
        Assert.Contains(TokenSecret.Marker, await notOurs.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    public static async Task<CreatedTokenResponse> CreateToken(HttpClient signedIn, string name, int days, string? role = null)
    {
        var response = await signedIn.PostAsJsonAsync("/api/tokens", new { name, days, role }, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CreatedTokenResponse>(Json.Options, Cancel))!;
    }

    private HttpClient Bearer(string token)
    {
        var client = Accounts.Anonymous(fixture.App);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private HubConnection Hub(string token) => new HubConnectionBuilder()
        .WithUrl(new Uri(fixture.App.Server.BaseAddress, "/hubs/runs"), options =>
        {
            options.HttpMessageHandlerFactory = _ => fixture.App.Server.CreateHandler();
            options.Transports = HttpTransportType.LongPolling;
            options.AccessTokenProvider = () => Task.FromResult<string?>(token);
        })
        .Build();

    private async Task<SemiCmrDb> Db() =>
        await fixture.App.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>().CreateDbContextAsync(Cancel);

    private async Task WithUser(string id, Func<UserManager<IdentityUser>, IdentityUser, Task> change)
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        await change(users, (await users.FindByIdAsync(id))!);
    }
}
