namespace SemiCmr.Web.Datasets;

/// <summary>Moves a folder aside; a seam so tests can make the move fail (as root, permissions never do).</summary>
public interface IFolderMover
{
    void Move(string from, string to);
}

public sealed class FolderMover : IFolderMover
{
    public void Move(string from, string to) => Directory.Move(from, to);
}

/// <summary>
/// How dataset and run deletes take a folder away: renamed to its .deleting name first (atomic), rows deleted, then
/// the renamed folder removed. The start-up clean-up finishes any .deleting folder a crash left.
/// </summary>
public static class FolderAside
{
    public const string Suffix = ".deleting";

    /// <summary>Moves <paramref name="folder"/> to its .deleting name, replacing one an earlier attempt left; returns that name.</summary>
    public static string MoveAside(this IFolderMover mover, string folder)
    {
        string aside = folder + Suffix;
        DatasetImporter.DeleteFolder(aside);
        mover.Move(folder, aside);
        return aside;
    }
}
