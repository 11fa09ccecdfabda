using System.Threading.Channels;

namespace SemiCmr.Web.Datasets;

/// <summary>An import waiting for the worker: files to take from a server folder or an uploaded zip, and the text encoder to fit.</summary>
public sealed record ImportJob(int DatasetId, string? Folder = null, string? ZipFile = null, string ZipPrefix = "", string? TextEncoder = null);

/// <summary>Imports run one after another in the background; requests only queue them.</summary>
public sealed class ImportQueue
{
    private readonly Channel<ImportJob> channel = Channel.CreateUnbounded<ImportJob>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<ImportJob> Reader => channel.Reader;

    public void Enqueue(ImportJob job) => channel.Writer.TryWrite(job);
}
