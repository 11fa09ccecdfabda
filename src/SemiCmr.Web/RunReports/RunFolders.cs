namespace SemiCmr.Web.RunReports;

/// <summary>
/// Removes a run's folder without ever leaving half of it under its own name: the folder is first renamed to a
/// temporary name (atomic), then deleted; a leftover temporary folder is no run's and is cleaned up on the next try.
/// A service so tests can make removal fail, which permissions cannot do for root in a container.
/// </summary>
public interface IRunFolders
{
    /// <summary>Removes <paramref name="folder"/> and its temporary siblings; throws IOException or UnauthorizedAccessException when it cannot.</summary>
    void Remove(string folder);
}

public sealed class RunFolders : IRunFolders
{
    public void Remove(string folder)
    {
        if (Directory.Exists(folder))
            Directory.Move(folder, $"{folder}.deleting-{Guid.NewGuid():N}");
        // The folder of a save cut short and the renamed folders of earlier attempts go too.
        var parent = Path.GetDirectoryName(folder)!;
        if (!Directory.Exists(parent)) return;
        string name = Path.GetFileName(folder);
        foreach (var leftover in Directory.EnumerateDirectories(parent, name + ".*"))
        {
            string suffix = Path.GetFileName(leftover)[name.Length..];
            if (suffix == ".saving" || suffix.StartsWith(".deleting-", StringComparison.Ordinal)) Directory.Delete(leftover, recursive: true);
        }
    }
}
