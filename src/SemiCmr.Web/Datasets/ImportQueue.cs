using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Datasets;

/// <summary>An import waiting for the worker: files to take from a server folder or an uploaded zip, and the text encoder to fit.</summary>
public sealed record ImportJob(int DatasetId, string? Folder = null, string? ZipFile = null, string ZipPrefix = "", string? TextEncoder = null);

/// <summary>
/// Imports run one after another in the background; requests only queue them. The queue is this instance's own: on
/// PostgreSQL it also knows which datasets it holds (queued or importing), whose import leases <see cref="ImportLeases"/>
/// renews, so other instances leave them alone (Worker:LeaseSeconds, as for runs).
/// </summary>
public sealed class ImportQueue(IOptions<WorkerOptions> options)
{
    private readonly Channel<ImportJob> channel = Channel.CreateUnbounded<ImportJob>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<int, byte> held = new();

    public ChannelReader<ImportJob> Reader => channel.Reader;

    /// <summary>How long an import lease lasts without renewal: what a dataset row starts with (<see cref="DatasetEndpoints.CreateImporting"/>).</summary>
    public TimeSpan Lease => options.Value.Lease;

    /// <summary>The datasets this instance has queued or is importing.</summary>
    public int[] Held => [.. held.Keys];

    public void Enqueue(ImportJob job)
    {
        held[job.DatasetId] = 0;
        channel.Writer.TryWrite(job);
    }

    /// <summary>The import of <paramref name="datasetId"/> has ended (ready, failed or dropped): its lease is no longer renewed.</summary>
    public void Done(int datasetId) => held.TryRemove(datasetId, out _);
}
