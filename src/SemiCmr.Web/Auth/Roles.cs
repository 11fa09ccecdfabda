namespace SemiCmr.Web.Auth;

/// <summary>
/// The three roles; a user has one. Admin: users, settings, delete anything. Editor: upload, label, train, cancel and
/// delete their own datasets and runs. Viewer: browse, search, compare, export.
/// </summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Editor = "Editor";
    public const string Viewer = "Viewer";

    public static IReadOnlyList<string> All { get; } = [Admin, Editor, Viewer];

    /// <summary>Viewer 1, Editor 2, Admin 3; anything else 0 (no role).</summary>
    public static int Rank(string? role) => role switch { Viewer => 1, Editor => 2, Admin => 3, _ => 0 };

    /// <summary>The highest of <paramref name="roles"/>, or null when none is ours.</summary>
    public static string? Highest(IEnumerable<string> roles) => roles.Where(r => Rank(r) > 0).MaxBy(Rank);

    /// <summary>The lower of two roles: what an API token may do is the lower of its own role and its user's.</summary>
    public static string Lower(string a, string b) => Rank(a) <= Rank(b) ? a : b;

    /// <summary>The role's canonical name, matched without case (a request may say "viewer"), or null.</summary>
    public static string? Named(string? name) => All.FirstOrDefault(r => string.Equals(r, name?.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>The authorization policies every endpoint, hub and page names (see <see cref="AuthExtensions.AddAuth"/>).</summary>
public static class Policies
{
    public const string ViewerOrAbove = nameof(ViewerOrAbove);
    public const string EditorOrAbove = nameof(EditorOrAbove);
    public const string Admin = nameof(Admin);
}
