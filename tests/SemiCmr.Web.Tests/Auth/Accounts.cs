using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Web.Auth;

namespace SemiCmr.Web.Tests.Auth;

/// <summary>
/// Users and signed-in clients of an app in Accounts mode. Clients sign in through the real login form (its
/// antiforgery token and cookie included) and carry the auth cookie by hand, so a hub connection can send it too.
/// </summary>
public static partial class Accounts
{
    public const string Password = "Str0ng!pass";

    public static async Task<string> CreateUser(WebApplicationFactory<Program> app, string name, string role)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser(name);
        var created = await users.CreateAsync(user, Password);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        return user.Id;
    }

    /// <summary>A client without cookies or redirects: what a script sees.</summary>
    public static HttpClient Anonymous(WebApplicationFactory<Program> app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    /// <summary>Posts a static account form (login, setup, logout) as a browser would: GET it, then POST its hidden fields and <paramref name="fields"/>.</summary>
    public static async Task<HttpResponseMessage> PostForm(HttpClient client, string path, IDictionary<string, string> fields, string? cookie = null)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, path);
        if (cookie is not null) get.Headers.Add("Cookie", cookie);
        var page = await client.SendAsync(get, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        string html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var form = HiddenFields(html);
        foreach (var (key, value) in fields) form[key] = value;
        string cookies = string.Join("; ", new[] { cookie }.Concat(Cookies(page)).Where(c => !string.IsNullOrEmpty(c)));

        using var post = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (cookies.Length > 0) post.Headers.Add("Cookie", cookies);
        return await client.SendAsync(post, TestContext.Current.CancellationToken);
    }

    /// <summary>The "name=value" parts of a response's Set-Cookie headers.</summary>
    public static IEnumerable<string> Cookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : [];

    /// <summary>Signs in through /account/login; the auth cookie, ready for a Cookie header.</summary>
    public static async Task<string> SignIn(WebApplicationFactory<Program> app, string name, string password = Password)
    {
        var response = await PostForm(Anonymous(app), AuthExtensions.LoginPath,
            new Dictionary<string, string> { ["Input.UserName"] = name, ["Input.Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return Assert.Single(Cookies(response), c => c.StartsWith("semicmr.auth=", StringComparison.Ordinal));
    }

    /// <summary>A client that sends <paramref name="cookie"/> with every request.</summary>
    public static HttpClient As(WebApplicationFactory<Program> app, string cookie)
    {
        var client = Anonymous(app);
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }

    private static Dictionary<string, string> HiddenFields(string html) =>
        InputTag().Matches(html).Select(m => m.Value).Where(tag => tag.Contains("type=\"hidden\"", StringComparison.Ordinal))
            .ToDictionary(tag => WebUtility.HtmlDecode(Attribute(tag, "name")), tag => WebUtility.HtmlDecode(Attribute(tag, "value")));

    private static string Attribute(string tag, string name) => Regex.Match(tag, name + "=\"(?<v>[^\"]*)\"").Groups["v"].Value;

    [GeneratedRegex("<input[^>]*>")]
    private static partial Regex InputTag();
}
