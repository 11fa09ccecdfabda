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
            {
                if (!IsDevelopmentStaticFileFallback(endpoint)) wrong.Add($"{endpoint.DisplayName} ({route}) names no policy");
            }
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
        // Scalar's own scripts and icon (its page and the OpenAPI document it shows need a viewer).
        || (route.StartsWith("/scalar/", StringComparison.Ordinal) && Path.HasExtension(route));

    /// <summary>
    /// MapStaticAssets adds, where static web assets are served from the build (Development, and the "Testing" hosts),
    /// a catch-all for files missing from the manifest; no convention reaches it, so the fallback policy (a signed-in
    /// user) guards it (<see cref="WhatNamesNoPolicyNeedsASignedInUser"/>). The root wwwroot/ is served before
    /// authentication by UseStaticFiles.
    /// </summary>
    private static bool IsDevelopmentStaticFileFallback(Endpoint endpoint) =>
        endpoint.DisplayName == "Fallback {**path:file}";
}
