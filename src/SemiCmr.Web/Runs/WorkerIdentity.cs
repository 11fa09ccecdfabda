using System.Security.Cryptography;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.Runs;

/// <summary>
/// This process's name as a training worker, written on the runs it trains (<see cref="Run.WorkerId"/>): the host and
/// process, for people reading the table, and a random part, so a restarted process with a reused pid is a new worker.
/// </summary>
public sealed class WorkerIdentity
{
    public string Id { get; } = Describe(Environment.MachineName, Environment.ProcessId, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));

    private static string Describe(string host, int pid, string random)
    {
        string id = $"{host}:{pid}:{random}";
        return id.Length <= SemiCmrDb.WorkerIdMaxLength ? id : id[^SemiCmrDb.WorkerIdMaxLength..];
    }
}
