extern alias cli;

using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Web.Auth;
using SemiCmr.Web.Runs;
using Spectre.Console;
using CliApp = cli::SemiCmr.Cli.SemiCmrApp;
using SemiCmrServer = cli::SemiCmr.Cli.Common.SemiCmrServer;

namespace SemiCmr.Web.Tests;

/// <summary>Fixture: the app on a real port with a short run on the generated features, for `semicmr search` to dial.</summary>
public sealed class CliSearchFixture : IAsyncLifetime
{
    public SemiCmrApp App { get; } = SemiCmrApp.InTempFolders();
    public Uri Address { get; private set; } = null!;
    public RunResponse Run { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Address = App.ServeOnFreePort();
        (_, _, Run) = await App.ImportAndTrainShortRun();
        Assert.Equal(Data.RunStatus.Succeeded, Run.Status);
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}

/// <summary>`semicmr search` against a running app: the server's search service answers, the CLI prints it or its refusal.</summary>
public sealed class CliSearchTests(CliSearchFixture fixture) : IClassFixture<CliSearchFixture>
{
    [Fact]
    public async Task Json_output_is_the_rest_answer_for_the_same_search()
    {
        string item = await FirstItemId();
        var (exit, output) = Search("--run", $"{fixture.Run.Id}", "--item", item, "-k", "5", "--offset", "1", "--json");

        Assert.Equal(0, exit);
        var rest = await fixture.App.CreateClient().PostAsJsonAsync($"/api/runs/{fixture.Run.Id}/search", new { itemId = item, k = 5, offset = 1 },
            TestContext.Current.CancellationToken);
        var expected = JsonNode.Parse(await rest.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(output)), output);
    }

    [Fact]
    public async Task Table_lists_the_hits_in_rank_order()
    {
        var rest = await fixture.App.CreateClient().PostAsJsonAsync($"/api/runs/{fixture.Run.Id}/search", new { itemId = await FirstItemId(), k = 3 },
            TestContext.Current.CancellationToken);
        var hits = JsonNode.Parse(await rest.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["hits"]!.AsArray();

        var (exit, output) = Search("--run", $"{fixture.Run.Id}", "--item", await FirstItemId(), "-k", "3");

        Assert.Equal(0, exit);
        Assert.Contains($"Run {fixture.Run.Id} (dataset {fixture.Run.DatasetId}): hits 1-3 of", output);
        var lines = output.Split('\n');
        for (int rank = 0; rank < 3; rank++)
        {
            string id = (string)hits[rank]!["itemId"]!;
            int line = Array.FindIndex(lines, l => l.Contains($" {rank + 1} ", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal));
            Assert.True(line >= 0, $"rank {rank + 1} ({id}) not found in:\n{output}");
        }
    }

    [Fact]
    public async Task An_unknown_label_is_refused_with_the_servers_reason()
    {
        var (exit, output) = Search("--item", await FirstItemId(), "--label", "no-such-class");

        Assert.Equal(2, exit);
        Assert.Contains("400", output);
        Assert.Contains("no-such-class", output);
    }

    [Fact]
    public void Text_on_a_dataset_without_a_text_encoder_says_why()
    {
        var (exit, output) = Search("--text", "a red circle");

        Assert.Equal(2, exit);
        Assert.Contains("400", output);
        Assert.Contains("came with its own text features", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_run_the_latest_succeeded_run_is_searched()
    {
        var second = await fixture.App.StartRun(new { datasetId = fixture.Run.DatasetId, method = "cca", labelRatio = 1, seed = 1 });
        second = await fixture.App.WaitForRun(second.Id, r => r.Status is not (Data.RunStatus.Queued or Data.RunStatus.Running));
        Assert.Equal(Data.RunStatus.Succeeded, second.Status);

        var (exit, output) = Search("--item", await FirstItemId(), "-k", "1");

        Assert.Equal(0, exit);
        Assert.Contains($"Run {second.Id} (dataset {second.DatasetId})", output);
    }

    [Fact]
    public void An_unknown_run_is_named()
    {
        var (exit, output) = Search("--run", "9999", "--item", "x");

        Assert.Equal(2, exit);
        Assert.Contains("The server has no run 9999.", output);
    }

    [Theory]
    [InlineData]
    [InlineData("--text", "a", "--item", "b")]
    public void Exactly_one_query_is_required(params string[] query)
    {
        var (exit, output) = Search(query);

        Assert.Equal(2, exit);
        Assert.Contains("Give exactly one of --text, --item or --image.", output);
    }

    [Fact]
    public void A_server_that_does_not_answer_is_named()
    {
        var (exit, output) = CliRun("search", "--server", "http://127.0.0.1:9", "--item", "x");

        Assert.Equal(2, exit);
        Assert.Contains("cannot be reached", output);
    }

    private async Task<string> FirstItemId()
    {
        var page = await fixture.App.CreateClient().GetFromJsonAsync<JsonObject>($"/api/datasets/{fixture.Run.DatasetId}/items?limit=1",
            TestContext.Current.CancellationToken);
        return (string)page!["items"]![0]!["externalId"]!;
    }

    private (int ExitCode, string Output) Search(params string[] args) => CliRun(["search", "--server", fixture.Address.ToString(), .. args]);

    public static (int ExitCode, string Output) CliRun(params string[] args)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 240;
        int exit = CliApp.Create(console).Run(args);
        return (exit, writer.ToString());
    }
}

/// <summary>The app in Accounts mode on a real port, an editor's API token, and a short run trained with it.</summary>
public sealed class CliSearchAccountsFixture : IAsyncLifetime
{
    public SemiCmrApp App { get; } = SemiCmrApp.InTempFolders("Accounts");
    public Uri Address { get; private set; } = null!;
    public RunResponse Run { get; private set; } = null!;
    public string Token { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        // search-load is a benchmark: like the README's, this server measures search, not the per-user search limit
        // (its tokens are one user's, and a second of searches at full speed may pass the default 600 a minute).
        App.Settings["RateLimits:Search:PermitLimit"] = "0";
        Address = App.ServeOnFreePort();
        Token = await NewToken("cli");
        App.BearerToken = Token;
        (_, _, Run) = await App.ImportAndTrainShortRun();
        Assert.Equal(Data.RunStatus.Succeeded, Run.Status);
    }

    /// <summary>A new editor token of the user "cli" (created on first use), made through the app's token service.</summary>
    public async Task<string> NewToken(string name)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = await users.FindByNameAsync("cli");
        if (user is null) await Auth.Accounts.CreateUser(App, "cli", Roles.Editor);
        user ??= (await users.FindByNameAsync("cli"))!;
        var editor = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Role, Roles.Editor)], "test"));
        var created = await App.Services.GetRequiredService<ApiTokens>().Create(editor, new CreateTokenRequest(name, 1, null), CancellationToken.None);
        return created.Value!.Secret;
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}

/// <summary>`semicmr search` and `semicmr perf search-load` against a server with accounts: --token, and what a missing or revoked token says.</summary>
public sealed class CliSearchWithAccountsTests(CliSearchAccountsFixture fixture) : IClassFixture<CliSearchAccountsFixture>
{
    [Fact]
    public async Task With_a_token_the_search_answers()
    {
        var (exit, output) = CliSearchTests.CliRun("search", "--server", fixture.Address.ToString(), "--token", fixture.Token,
            "--run", $"{fixture.Run.Id}", "--item", await FirstItemId(), "-k", "3");

        Assert.Equal(0, exit);
        Assert.Contains($"Run {fixture.Run.Id} (dataset {fixture.Run.DatasetId}): hits 1-3 of", output);
    }

    [Fact]
    public void Without_a_token_the_cli_says_the_server_needs_one_and_where_to_make_it()
    {
        var (exit, output) = CliSearchTests.CliRun("search", "--server", fixture.Address.ToString(), "--item", "0");

        Assert.Equal(2, exit);
        Assert.Contains("needs an API token", output, StringComparison.Ordinal);
        Assert.Contains("/account/tokens", output, StringComparison.Ordinal);
        Assert.Contains("--token", output, StringComparison.Ordinal);
        Assert.Contains(SemiCmrServer.TokenVariable, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_token_is_refused_with_the_servers_reason_by_every_command_that_talks_to_a_server()
    {
        string token = await fixture.NewToken("to revoke");
        var search = new[] { "search", "--server", fixture.Address.ToString(), "--token", token, "--item", await FirstItemId(), "-k", "1" };
        Assert.Equal(0, CliSearchTests.CliRun(search).ExitCode);
        var load = new[] { "perf", "search-load", "--server", fixture.Address.ToString(), "--token", token, "--idle", "1", "--clients", "2", "--pause", "0", "--by", "item" };
        var (loadExit, loadOutput) = CliSearchTests.CliRun(load);
        Assert.True(loadExit == 0, loadOutput);
        Assert.Contains($"Searching run {fixture.Run.Id}", loadOutput, StringComparison.Ordinal);
        var items = new[] { "perf", "items", "--server", fixture.Address.ToString(), "--token", token, "--dataset", $"{fixture.Run.DatasetId}", "--rounds", "1" };
        var (itemsExit, itemsOutput) = CliSearchTests.CliRun(items);
        Assert.True(itemsExit == 0, itemsOutput);
        Assert.Contains($"Listing dataset {fixture.Run.DatasetId}", itemsOutput, StringComparison.Ordinal);

        await using (var scope = fixture.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Data.SemiCmrDb>();
            await db.ApiTokens.Where(t => t.Prefix == token.Substring(0, Data.ApiToken.PrefixLength))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, DateTime.UtcNow), TestContext.Current.CancellationToken);
        }

        foreach (var (exit, output) in new[] { CliSearchTests.CliRun(search), CliSearchTests.CliRun(load), CliSearchTests.CliRun(items) })
        {
            Assert.Equal(2, exit);
            Assert.Contains("refused the API token", output, StringComparison.Ordinal);
            Assert.Contains("revoked", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_token_comes_from_the_option_else_the_environment()
    {
        Func<string, string?> environment = name => name == SemiCmrServer.TokenVariable ? "scmr_from_env" : null;
        Assert.Equal("scmr_given", SemiCmrServer.TokenOrEnvironment("scmr_given", environment));
        Assert.Equal("scmr_from_env", SemiCmrServer.TokenOrEnvironment(null, environment));
        Assert.Null(SemiCmrServer.TokenOrEnvironment(null, _ => null));
        Assert.Null(SemiCmrServer.TokenOrEnvironment(" ", _ => " "));
    }

    private async Task<string> FirstItemId()
    {
        var page = await fixture.App.CreateClient().GetFromJsonAsync<JsonObject>($"/api/datasets/{fixture.Run.DatasetId}/items?limit=1",
            TestContext.Current.CancellationToken);
        return (string)page!["items"]![0]!["externalId"]!;
    }
}
