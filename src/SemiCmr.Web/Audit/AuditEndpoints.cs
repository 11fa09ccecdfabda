using Microsoft.AspNetCore.Http.HttpResults;
using SemiCmr.Web.Api;
using SemiCmr.Web.Auth;

namespace SemiCmr.Web.Audit;

public static class AuditEndpoints
{
    public static IHostApplicationBuilder AddAudit(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuditLog();
        return builder;
    }

    /// <summary>The audit log's reader; also used by component tests.</summary>
    public static IServiceCollection AddAuditLog(this IServiceCollection services) => services.AddSingleton<AuditLog>();

    /// <summary><c>GET /api/audit</c>: the audit log, newest first, for admins only.</summary>
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/audit").WithTags("Audit log").RequireAuthorization(Policies.Admin).MapGet("/", List);
        return app;
    }

    /// <param name="kind">dataset, run, budget or user.</param>
    /// <param name="user">Only what this user (by user name) did.</param>
    /// <param name="offset">Entries to skip, newest first.</param>
    /// <param name="limit">Entries to answer, 1 to 100 (default 50).</param>
    private static async Task<Answer<Ok<AuditPage>, Refused.Invalid>> List(string? kind, string? user, int? offset, int? limit, AuditLog log,
        CancellationToken cancellationToken) =>
        (await log.List(new AuditQuery(kind, user, offset, limit), cancellationToken)).Map(TypedResults.Ok);
}
