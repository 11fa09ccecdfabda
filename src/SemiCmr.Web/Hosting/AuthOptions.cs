namespace SemiCmr.Web.Hosting;

/// <summary>Who may use the app ("Auth" section).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>
    /// Accounts (the default): users sign in, with the roles Admin, Editor and Viewer. None: no sign-in, every request
    /// acts as one local admin; allowed only while every address the app listens on is loopback (start-up refuses
    /// otherwise: see <see cref="Auth.ListenAddresses"/>).
    /// </summary>
    public AuthMode Mode { get; set; } = AuthMode.Accounts;
}

public enum AuthMode { Accounts, None }
