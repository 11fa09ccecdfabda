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
}

/// <summary>The authorization policies every endpoint, hub and page names (see <see cref="AuthExtensions.AddAuth"/>).</summary>
public static class Policies
{
    public const string ViewerOrAbove = nameof(ViewerOrAbove);
    public const string EditorOrAbove = nameof(EditorOrAbove);
    public const string Admin = nameof(Admin);
}
