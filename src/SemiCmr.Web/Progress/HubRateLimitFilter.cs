using System.Threading.RateLimiting;
using Microsoft.AspNetCore.SignalR;

namespace SemiCmr.Web.Progress;

/// <summary>
/// A token bucket per hub connection: <see cref="Burst"/> calls at once, <see cref="PerSecond"/> a second after that.
/// A connection that goes past it is closed with one warning in the log, so a flood costs one line, not one a call.
/// </summary>
public sealed class HubRateLimitFilter(ILogger<HubRateLimitFilter> logger) : IHubFilter
{
    public const int Burst = 50;
    public const int PerSecond = 20;
    private static readonly object LimiterKey = new();
    private static readonly object ClosedKey = new();

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var context = invocationContext.Context;
        var limiter = (RateLimiter)context.Items[LimiterKey]!;
        using var lease = limiter.AttemptAcquire();
        if (lease.IsAcquired) return await next(invocationContext);

        // Calls already read from the wire still arrive after the abort: only the first refusal is worth a warning.
        if (context.Items.TryAdd(ClosedKey, true))
        {
            logger.LogWarning("Hub connection {Connection} made more than {Burst} calls at once ({PerSecond} a second allowed): closed",
                context.ConnectionId, Burst, PerSecond);
            context.Abort();
        }
        return null;
    }

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        context.Context.Items[LimiterKey] = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Burst, TokensPerPeriod = PerSecond, ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0, AutoReplenishment = true,
        });
        return next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        if (context.Context.Items[LimiterKey] is RateLimiter limiter) await limiter.DisposeAsync();
        await next(context, exception);
    }
}
