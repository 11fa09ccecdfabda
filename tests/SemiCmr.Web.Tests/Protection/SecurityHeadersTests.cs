using System.Net;
using System.Text;
using SemiCmr.Web.Protection;

namespace SemiCmr.Web.Tests.Protection;

/// <summary>Every kind of response carries the security headers: a page, the REST API, static files, and errors (also the 500 written after the exception handler cleared the response).</summary>
public sealed class SecurityHeadersTests(BrokenDiskApp fixture) : IClassFixture<BrokenDiskApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, int> Requests => new()
    {
        { "GET", "/", 200 },                                           // the Blazor host page
        { "GET", "/api/health", 200 },                                 // the REST API
        { "GET", "/api/datasets", 200 },
        { "GET", "/css/app.css", 200 },                                // wwwroot/ (UseStaticFiles)
        { "GET", "/_content/MudBlazor/MudBlazor.min.css", 200 },       // static web assets (MapStaticAssets)
        { "GET", "/_framework/blazor.web.js", 200 },
        { "GET", "/api/runs/999999", 404 },                            // a refusal
        { "GET", "/no/such/page", 404 },                               // no route
        { "POST", "/api/runs", 400 },                                  // malformed JSON
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Every_response_carries_the_security_headers(string method, string path, int status)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST") request.Content = new StringContent("{\"datasetId\": ", Encoding.UTF8, "application/json");

        var response = await fixture.App.CreateClient().SendAsync(request, Cancel);

        Assert.Equal(status, (int)response.StatusCode);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task An_unhandled_failure_carries_them_too()
    {
        var response = await fixture.App.CreateClient().DeleteAsync($"/api/datasets/{fixture.DatasetId}", Cancel);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.True(fixture.Mover.Calls > 0);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task The_api_reference_allows_its_one_inline_script_by_a_fresh_nonce()
    {
        var client = fixture.App.CreateClient();
        var first = await client.GetAsync("/scalar/v1", Cancel);
        var second = await client.GetAsync("/scalar/v1", Cancel);

        string Nonce(HttpResponseMessage response) =>
            System.Text.RegularExpressions.Regex.Match(Header(response, "Content-Security-Policy"), "script-src 'self' 'nonce-(?<n>[^']+)';").Groups["n"].Value;
        string nonce = Nonce(first);
        Assert.NotEmpty(nonce);
        Assert.NotEqual(nonce, Nonce(second));
        Assert.Equal(SecurityHeaders.ContentSecurityPolicyWithNonce(nonce), Header(first, "Content-Security-Policy"));
        string html = await first.Content.ReadAsStringAsync(Cancel);
        Assert.Contains($"nonce=\"{nonce}\"", html, StringComparison.Ordinal);
        Assert.Contains("\"withDefaultFonts\":false", html, StringComparison.Ordinal); // its CDN fonts would be refused (font-src 'self')
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        string csp = Header(response, "Content-Security-Policy");
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, csp);
        foreach (var directive in new[] { "script-src 'self';", "connect-src 'self';", "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'", "object-src 'none'" })
            Assert.Contains(directive, csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
        Assert.Contains("camera=()", Header(response, "Permissions-Policy"), StringComparison.Ordinal);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        Assert.Single(response.Headers.TryGetValues(name, out var values) ? values : response.Content.Headers.TryGetValues(name, out var content) ? content : []);
}
