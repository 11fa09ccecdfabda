using System.Net;
using SemiCmr.Web.Auth;

namespace SemiCmr.Web.Tests.Auth;

/// <summary>
/// Instances of a team deployment share the data folder, and with it the sign-in keys: a user signed in on one instance
/// is signed in on every other, as a load balancer without sticky sessions for plain requests needs.
/// </summary>
public sealed class SharedKeysTests
{
    [Fact]
    public async Task ACookieIssuedByOneInstanceIsAcceptedByAnotherOnTheSameDataFolder()
    {
        await using var first = SemiCmrApp.InTempFolders(authMode: "Accounts");
        await Accounts.CreateUser(first, "ada", Roles.Viewer);
        string cookie = await Accounts.SignIn(first, "ada");
        await using var second = new SemiCmrApp(first.DataDirectory, first.ImportRoot) { AuthMode = "Accounts" };
        await using var elsewhere = SemiCmrApp.InTempFolders(authMode: "Accounts");

        var onSecond = await Accounts.As(second, cookie).GetAsync("/api/datasets", TestContext.Current.CancellationToken);
        var onElsewhere = await Accounts.As(elsewhere, cookie).GetAsync("/api/datasets", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, onSecond.StatusCode);
        Assert.True(Directory.EnumerateFiles(Path.Combine(first.DataDirectory, "keys"), "key-*.xml").Any());
        // Another data folder has other keys: the cookie means nothing there.
        Assert.Equal(HttpStatusCode.Unauthorized, onElsewhere.StatusCode);
    }
}
