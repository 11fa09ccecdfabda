using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SemiCmr.Web.Auth;
using SemiCmr.Web.Progress;

namespace SemiCmr.Web.Tests.Auth;

/// <summary>
/// Every endpoint the app maps names one of the three policies, or is explicitly anonymous and on the short list of
/// what must be reachable signed out (health, the account pages, static assets). A new endpoint without a policy fails here.
/// </summary>
public sealed class EndpointAuthorizationTests
{
    private static readonly string[] OurPolicies = [Policies.ViewerOrAbove, Policies.EditorOrAbove, Policies.Admin];

    [Fact]
    public async Task EveryEndpointHasAPolicyOrIsAnAllowedAnonymousOne()
    {
        await using var app = SemiCmrApp.InTempFolders();
        app.CreateClient();
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints;
        Assert.True(endpoints.Count > 40, "the app's endpoints were not found");

        var wrong = new List<string>();
        foreach (var endpoint in endpoints)
        {
            string route = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? endpoint.DisplayName ?? "?";
            bool anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
            if (anonymous)
            {
                if (!MayBeAnonymous(endpoint, route)) wrong.Add($"{endpoint.DisplayName} ({route}) is anonymous but not on the allowed list");
            }
            else if (policies.Count == 0)
                wrong.Add($"{endpoint.DisplayName} ({route}) names no policy");
            else if (policies.Any(p => !OurPolicies.Contains(p)))
                wrong.Add($"{endpoint.DisplayName} ({route}) names a policy that is not ours: {string.Join(", ", policies)}");
        }
        Assert.Empty(wrong);
    }

    [Fact]
    public void EveryHubMethodIsForViewersAndAbove()
    {
        var hubPolicy = typeof(RunsHub).GetCustomAttributes<AuthorizeAttribute>().Select(a => a.Policy).ToList();
        Assert.Equal([Policies.ViewerOrAbove], hubPolicy);
        var methods = typeof(RunsHub).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly);
        Assert.NotEmpty(methods);
        Assert.All(methods, m => Assert.Null(m.GetCustomAttribute<AllowAnonymousAttribute>()));
        Assert.Null(typeof(RunsHub).GetCustomAttribute<AllowAnonymousAttribute>());
    }

    [Fact]
    public async Task TheStylesAndScriptsOfTheAccountPagesAreServedSignedOut()
    {
        await using var app = SemiCmrApp.InTempFolders("Accounts");
        var client = Accounts.Anonymous(app);
        string page = await client.GetStringAsync(FirstAdmin.SetupPath, TestContext.Current.CancellationToken);
        var assets = System.Text.RegularExpressions.Regex.Matches(page, "(?:href|src)=\"(?<url>[^\"]+\\.(?:css|js))\"").Select(m => m.Groups["url"].Value).ToList();
        Assert.Contains("css/app.css", assets);
        Assert.Contains(assets, a => a.StartsWith("_content/MudBlazor/", StringComparison.Ordinal));

        foreach (string asset in assets)
        {
            var response = await client.GetAsync("/" + asset, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"{asset}: {(int)response.StatusCode} {response.Headers.Location}");
            Assert.Equal(asset.EndsWith(".css", StringComparison.Ordinal) ? "text/css" : "text/javascript", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task WhatNamesNoPolicyNeedsASignedInUser()
    {
        await using var app = SemiCmrApp.InTempFolders();
        var fallback = app.Services.GetRequiredService<IOptions<AuthorizationOptions>>().Value.FallbackPolicy;
        Assert.NotNull(fallback);
        Assert.Contains(fallback.Requirements, r => r is Microsoft.AspNetCore.Authorization.Infrastructure.DenyAnonymousAuthorizationRequirement);
    }

    private static bool MayBeAnonymous(Endpoint endpoint, string route) =>
        route == "/api/health"
        || route.StartsWith("/account/", StringComparison.Ordinal)
        || endpoint.Metadata.GetMetadata<StaticAssetDescriptor>() is not null
        || IsDevelopmentStaticFileFallback(endpoint)
        // Scalar's own scripts and icon (its page and the OpenAPI document it shows need a viewer).
        || (route.StartsWith("/scalar/", StringComparison.Ordinal) && Path.HasExtension(route));

    /// <summary>
    /// MapStaticAssets adds, where static web assets are served from the build (Development, and the "Testing" hosts),
    /// a catch-all for files that exist in the web root but not in the manifest (the root wwwroot/: css/app.css, the js
    /// modules). It matches before UseStaticFiles could serve them, so it is anonymous like the other static assets
    /// (the account pages need app.css): its {**path:file} route only ever serves an existing file.
    /// </summary>
    private static bool IsDevelopmentStaticFileFallback(Endpoint endpoint) =>
        endpoint.DisplayName == "Fallback {**path:file}";
}
