namespace SemiCmr.Web.Hosting;

/// <summary>The one reading of a Threads setting (Import:Threads, Training:Threads).</summary>
public static class ThreadSetting
{
    /// <summary>The setting when positive; 0 leaves one core for requests (max(1, cores - 1)).</summary>
    public static int Effective(int threads) => threads > 0 ? threads : Math.Max(1, Environment.ProcessorCount - 1);
}
