using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Auth;

/// <summary>
/// At start (after the database is migrated): creates the roles. Once the server listens: in single-user mode, refuses
/// to go on unless every address is loopback (start-up fails with <see cref="ListenAddresses.WhyNotLocal"/>); in
/// Accounts mode with no user yet, logs where to create the admin account.
/// </summary>
/// <remarks>
/// The listening addresses are known only once the server has bound them, so the check runs in StartedAsync; until it
/// passes, <see cref="LocalUserHandler"/> signs nobody in.
/// </remarks>
public sealed class AuthStartup(IServiceScopeFactory scopes, IServer server, IOptions<AuthOptions> options, LocalListenCheck check,
    FirstAdmin firstAdmin, ILogger<AuthStartup> logger) : IHostedLifecycleService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new IdentityRole(role));
    }

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        if (options.Value.Mode == AuthMode.None)
        {
            if (ListenAddresses.WhyNotLocal(addresses) is { } why)
            {
                logger.LogCritical("{Why}", why);
                throw new InvalidOperationException(why);
            }
            check.Pass();
            logger.LogInformation("Auth:Mode is None: no sign-in, every request acts as the admin (listening on loopback only).");
            return;
        }
        if (await firstAdmin.Needed(cancellationToken))
        {
            string where = addresses.Count == 0 ? FirstAdmin.SetupPath : string.Join(" or ", addresses.Select(a => a.TrimEnd('/') + FirstAdmin.SetupPath));
            logger.LogWarning("No account exists yet: open {Where} to create the admin account (there is no default password).", where);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
