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
