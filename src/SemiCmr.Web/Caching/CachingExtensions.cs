using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SemiCmr.Web.Caching;

public static class CachingExtensions
{
    /// <summary>The one <see cref="ResourceCache"/>; every feature that caches or invalidates adds it (once is enough, more is harmless).</summary>
    public static IServiceCollection AddResourceCache(this IServiceCollection services)
    {
        services.TryAddSingleton<ResourceCache>();
        return services;
    }
}
