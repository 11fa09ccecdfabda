namespace SemiCmr.Tests.Shared;

/// <summary>The process's OS threads as Linux shows them in /proc: name (15 characters at most) and nice value.</summary>
public static class OsThreads
{
    public sealed record OsThread(int Id, string Name, int Nice);

    /// <summary>The calling thread's nice value (0 is normal priority).</summary>
    public static int CurrentNice() => Nice(File.ReadAllText("/proc/thread-self/stat"));

    /// <summary>Every thread of this process whose name starts with <paramref name="prefix"/>.</summary>
    public static IReadOnlyList<OsThread> Named(string prefix)
    {
        var found = new List<OsThread>();
        foreach (var folder in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                string name = File.ReadAllText(Path.Combine(folder, "comm")).TrimEnd('\n');
                if (name.StartsWith(prefix, StringComparison.Ordinal))
                    found.Add(new OsThread(int.Parse(Path.GetFileName(folder)), name, Nice(File.ReadAllText(Path.Combine(folder, "stat")))));
            }
            catch (IOException) { } // the thread ended while we looked
        }
        return found;
    }

    // stat: "pid (comm) state ppid ...": nice is field 19, the 17th after the closing parenthesis of comm.
    private static int Nice(string stat) => int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16]);
}
