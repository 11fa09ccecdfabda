using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Auth;

/// <summary>
/// ASP.NET Core Data Protection keys (sign-in cookies, antiforgery tokens, set-password links) live in the data folder
/// (<see cref="AppPaths.DataProtectionKeys"/>) under one application name. Every instance of a team deployment shares
/// that folder, so a cookie issued by one instance is read by all of them, and the keys survive a container's restart.
/// They are stored unencrypted, like the database beside them: protect the data folder as you protect the database.
/// </summary>
public static class SharedKeys
{
    public const string ApplicationName = "SemiCmr";

    public static IServiceCollection AddSharedKeys(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<AppPaths, ILoggerFactory>((options, paths, logs) =>
            options.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(paths.DataProtectionKeys), logs));
        return services;
    }
}
