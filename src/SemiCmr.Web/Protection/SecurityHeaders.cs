using Scalar.AspNetCore;

namespace SemiCmr.Web.Protection;

/// <summary>
/// The browser-side protections every response carries (pages, the REST API, static files, errors): a Content
/// Security Policy, no MIME sniffing, no framing, a short referrer, and no powerful browser features. Added when the
/// response starts, so answers written after the exception handler cleared the headers carry them too.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// What Blazor Server and MudBlazor need, and no more: scripts only from this origin (blazor.web.js, MudBlazor's
    /// script and the app's modules; none is inline or evaluated); styles from this origin plus inline ones, which
    /// MudBlazor needs (its theme provider writes a &lt;style&gt; element and components set style attributes);
    /// images from this origin (thumbnails), data: (the blank favicon) and blob: (local previews); connections to this
    /// origin, which under CSP Level 3 includes ws:/wss: to the same host (the circuit's and the hub's WebSockets).
    /// No plugins, no &lt;base&gt; elsewhere, forms post only here, and no page may frame this one.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The policy of an answer that carries one inline script marked with <paramref name="nonce"/> (the API reference
    /// page: Scalar makes a fresh nonce per request and leaves it in <see cref="ScalarOptions.NonceHttpContextItemKey"/>).
    /// </summary>
    public static string ContentSecurityPolicyWithNonce(string nonce) =>
        ContentSecurityPolicy.Replace("script-src 'self';", $"script-src 'self' 'nonce-{nonce}';", StringComparison.Ordinal);

    /// <summary>Features the app never uses, off for it and anything it could embed.</summary>
    public const string PermissionsPolicy = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var context = (HttpContext)state;
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = context.Items[ScalarOptions.NonceHttpContextItemKey] is string { Length: > 0 } nonce
                    ? ContentSecurityPolicyWithNonce(nonce)
                    : ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers["Permissions-Policy"] = PermissionsPolicy;
                return Task.CompletedTask;
            }, context);
            return next(context);
        });
        return app;
    }
}
