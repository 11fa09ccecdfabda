using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Auth;

public static class AuthExtensions
{
    public const string LoginPath = "/account/login";
    public const string LogoutPath = "/account/logout";
    public const string DeniedPath = "/account/denied";
    public const string TokensPath = "/account/tokens";
    /// <summary>The default scheme: forwards each request to the token, cookie or single-user scheme.</summary>
    public const string SelectorScheme = "SemiCmr";

    /// <summary>
    /// ASP.NET Core Identity on the app's own database (users and roles), the three policies, and the way requests are
    /// signed in: an API token (<see cref="ApiTokenHandler"/>) or Identity's cookie in Accounts mode, the one local admin in
    /// single-user mode (<see cref="LocalUserHandler"/>).
    /// Call after <c>AddDatabase</c>: the roles are created once the database is migrated.
    /// </summary>
    public static WebApplicationBuilder AddAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSharedKeys();
        // Identity's stores use the context per request scope; the rest of the app keeps its factory.
        services.AddScoped(provider => provider.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<SemiCmrDb>>().CreateDbContext());
        services.AddIdentityCore<IdentityUser>(options =>
            {
                // Identity's default password rules and lockout (5 failures, 5 minutes) stay; there is no mail server to confirm with.
                options.SignIn.RequireConfirmedAccount = false;
                options.Lockout.AllowedForNewUsers = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<SemiCmrDb>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        // One policy scheme decides per request: a request carrying an API token is the token's (ApiTokenHandler); any
        // other is the auth cookie's in Accounts mode, the local admin's in single-user mode (which needs no token).
        var authentication = services.AddAuthentication(options =>
        {
            options.DefaultScheme = SelectorScheme;
            options.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
        });
        authentication.AddPolicyScheme(SelectorScheme, null, options => options.ForwardDefaultSelector = context =>
            context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.Mode == AuthMode.None ? LocalUserHandler.SchemeName
            : ApiTokenHandler.TokenOf(context.Request) is not null ? ApiTokenHandler.SchemeName
            : IdentityConstants.ApplicationScheme);
        authentication.AddIdentityCookies();
        authentication.AddScheme<AuthenticationSchemeOptions, LocalUserHandler>(LocalUserHandler.SchemeName, null);
        authentication.AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(ApiTokenHandler.SchemeName, null);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ApiTokens>();
        services.ConfigureApplicationCookie(ConfigureCookie);
        // The cookie's security stamp is checked on every request (Identity's default is every 30 minutes): a role
        // change, disabling or deleting a user (UserAdmin changes the stamp) ends their sessions at their next request.
        // Each request then reads the user and their roles: a few indexed reads.
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.Zero);
        // Open pages (Blazor circuits) check it every few seconds; registered before AddUi's default provider.
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, CircuitRevalidation>();
        // Set-password links are Identity's password reset tokens: they work once (setting a password changes the stamp
        // they carry) and expire.
        services.Configure<DataProtectionTokenProviderOptions>(options => options.TokenLifespan = UserAdmin.LinkLifetime);
        services.AddSingleton<UserAdmin>();

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.ViewerOrAbove, policy => policy.RequireRole(Roles.Viewer, Roles.Editor, Roles.Admin))
            .AddPolicy(Policies.EditorOrAbove, policy => policy.RequireRole(Roles.Editor, Roles.Admin))
            .AddPolicy(Policies.Admin, policy => policy.RequireRole(Roles.Admin))
            // An endpoint someone forgot to label is for signed-in users, never for everyone (EndpointAuthorizationTests names it).
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddSingleton<Owners>();
        services.AddCascadingAuthenticationState();
        services.AddSingleton<LocalListenCheck>();
        services.AddSingleton<FirstAdmin>();
        services.AddHostedService<AuthStartup>();
        return builder;
    }

    /// <summary>
    /// The auth cookie: HttpOnly, SameSite=Lax (a cross-site POST carries no cookie: the upload and search endpoints,
    /// which take multipart without an antiforgery token, are safe from forged forms), Secure whenever the request is
    /// HTTPS (SameAsRequest: `dotnet run` on http://localhost must still sign in; behind TLS the cookie is Secure).
    /// Pages that need a sign-in redirect to the login page; the REST API and the hub answer 401/403 problem details.
    /// </summary>
    private static void ConfigureCookie(CookieAuthenticationOptions cookie)
    {
        cookie.Cookie.Name = "semicmr.auth";
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Lax;
        cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        cookie.LoginPath = LoginPath;
        cookie.LogoutPath = LogoutPath;
        cookie.AccessDeniedPath = DeniedPath;
        cookie.Events.OnRedirectToLogin = context => Answer(context, StatusCodes.Status401Unauthorized);
        cookie.Events.OnRedirectToAccessDenied = context => Answer(context, StatusCodes.Status403Forbidden);
    }

    private static Task Answer(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IsApi(context.Request)) context.Response.StatusCode = status; // the status code pages write the problem details
        else context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>Requests of programs (REST, hubs, the OpenAPI document), which want a status code, not a login page.</summary>
    public static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs") || request.Path.StartsWithSegments("/openapi")
        || request.Path.StartsWithSegments("/_blazor");

    public static WebApplication UseAuth(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
