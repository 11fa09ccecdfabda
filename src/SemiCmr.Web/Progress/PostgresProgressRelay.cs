using Microsoft.Extensions.Options;
using Npgsql;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Progress;

/// <summary>
/// Live progress across instances on PostgreSQL (Database:Provider=postgres): every run and import event this process's
/// <see cref="RunProgressBroadcaster"/> sends out (after its throttle) is NOTIFYed on <see cref="Channel"/>, and the
/// events other instances NOTIFY are LISTENed for on one long-lived connection and handed to the local broadcaster
/// (<see cref="RunProgressBroadcaster.DeliverFromElsewhere"/>), so Blazor pages and /hubs/runs clients of every instance
/// see a run trained by a worker anywhere. PostgreSQL's own LISTEN/NOTIFY, not a SignalR backplane: it needs no
/// other service, and it also carries the events the Blazor pages subscribe to in-process, which a backplane would not.
/// <para>
/// Each payload names its instance (<see cref="InstanceId"/>), so an instance skips its own. Order holds per run and per
/// import: one loop sends, one statement at a time (PostgreSQL delivers notifications in commit order), and both
/// sides queue in a <see cref="LatestPerKeyQueue"/>, which keeps each key's events in order and never lets an older event
/// overtake a final one. Everything is bounded: payloads are trimmed under 8000 bytes (<see cref="ProgressNotification"/>),
/// queues hold at most two events per key, and a slow subscriber delays only the delivery loop, never the listener.
/// A lost connection is logged once and reopened with backoff; what was sent meanwhile is missed (the rows stay the truth,
/// and the next event brings watchers up to date). Index builds are not relayed: each instance builds its own.
/// </para>
/// On SQLite (one process) it does nothing: no connection, nothing forwarded. It depends on neither SignalR nor a web
/// server, so any host built with <c>AddProgress</c> (the web app, a training worker) publishes.
/// </summary>
public sealed class PostgresProgressRelay : IHostedService, IAsyncDisposable
{
    public const string Channel = "semicmr_progress";

    /// <summary>Backoff after a failure: doubling from the first to the last, then staying there.</summary>
    public static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(30);

    /// <summary>How long stopping waits for events still queued to go out (a worker's final event).</summary>
    public static readonly TimeSpan DrainOnStop = TimeSpan.FromSeconds(5);

    private readonly RunProgressBroadcaster broadcaster;
    private readonly ILogger<PostgresProgressRelay> logger;
    private readonly string? connectionString;
    private readonly LatestPerKeyQueue outgoing = new();
    private readonly LatestPerKeyQueue incoming = new();
    private readonly IDisposable? publishedHere;
    private readonly CancellationTokenSource stopping = new();
    private Task sending = Task.CompletedTask;
    private Task listening = Task.CompletedTask;
    private Task delivering = Task.CompletedTask;
    private int droppedLogged;

    public PostgresProgressRelay(RunProgressBroadcaster broadcaster, IOptions<DatabaseOptions> database, ILogger<PostgresProgressRelay> logger)
    {
        this.broadcaster = broadcaster;
        this.logger = logger;
        if (!database.Value.IsPostgres) return;
        connectionString = database.Value.ConnectionString;
        // Subscribed when built, before any hosted service starts: events of start-up work (resumed imports) queue too.
        publishedHere = broadcaster.SubscribePublishedHere(update => outgoing.TryWrite(update));
    }

    /// <summary>This process among the instances; payloads carry it so an instance skips what it sent itself.</summary>
    public Guid InstanceId { get; } = Guid.NewGuid();

    public bool IsActive => connectionString is not null;

    /// <summary>The listening connection's application_name (pg_stat_activity shows which instance it is).</summary>
    public string ListenerName => $"semicmr-progress-{InstanceId:N}";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (connectionString is null) return;
        // The first LISTEN is in place before the app serves: a page opened at once misses nothing published after.
        NpgsqlConnection? first = null;
        try
        {
            first = await Listen(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            logger.LogWarning("Progress from other instances will not arrive until PostgreSQL answers: {Reason}; retrying", e.Message);
        }
        listening = Task.Run(() => ListenLoop(first, stopping.Token), CancellationToken.None);
        delivering = Task.Run(() => DeliverLoop(stopping.Token), CancellationToken.None);
        sending = Task.Run(() => SendLoop(stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (connectionString is null) return;
        publishedHere?.Dispose();
        outgoing.Complete();
        // The sender finishes what is queued (a final event published just before a worker stops), within limits.
        await Task.WhenAny(sending, Task.Delay(DrainOnStop, cancellationToken));
        await stopping.CancelAsync();
        incoming.Complete();
        await Task.WhenAll(sending, listening, delivering).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <remarks>
    /// <see cref="stopping"/> is cancelled, never disposed (it has no timer or wait handle to free): a host that is disposed
    /// by the app's own thread while another thread stops it (WebApplicationFactory does both) may call
    /// <see cref="StopAsync"/> after this, and cancelling a cancelled source does nothing where a disposed one throws.
    /// </remarks>
    public async ValueTask DisposeAsync()
    {
        publishedHere?.Dispose();
        if (!stopping.IsCancellationRequested) await stopping.CancelAsync();
        await Task.WhenAll(sending, listening, delivering).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task SendLoop(CancellationToken cancellationToken)
    {
        var retry = new Backoff();
        NpgsqlConnection? connection = null;
        try
        {
            while (await outgoing.ReadAsync(cancellationToken) is { } update)
            {
                string? payload = ProgressNotification.Encode(InstanceId, update);
                if (payload is null)
                {
                    logger.LogWarning("Progress {Update} does not fit in a notification, even trimmed; other instances miss it", update.Key);
                    continue;
                }
                while (true)
                {
                    try
                    {
                        connection ??= await Open("semicmr-progress-notify", cancellationToken);
                        await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
                        notify.Parameters.AddWithValue("channel", Channel);
                        notify.Parameters.AddWithValue("payload", payload);
                        await notify.ExecuteNonQueryAsync(cancellationToken);
                        if (retry.Recovered()) logger.LogInformation("Sending progress to other instances again");
                        break;
                    }
                    catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                    {
                        if (connection is not null) await connection.DisposeAsync();
                        connection = null;
                        if (retry.FirstFailure())
                            logger.LogWarning("Progress cannot be sent to other instances ({Reason}); retrying with backoff", e.Message);
                        await Task.Delay(retry.Next(), cancellationToken);
                    }
                }
                ReportDropped();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
    }

    private async Task ListenLoop(NpgsqlConnection? connection, CancellationToken cancellationToken)
    {
        var retry = new Backoff();
        if (connection is null) retry.FirstFailure(); // StartAsync logged it
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                connection ??= await Listen(cancellationToken);
                if (retry.Recovered()) logger.LogInformation("Receiving progress from other instances again");
                // Notifications arrive through OnNotification while waiting; a lost connection ends the wait with an error.
                while (true) await connection.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                // Whatever ended the wait (the server closed the session, the network dropped, a bad state), listen anew.
                if (retry.FirstFailure())
                    logger.LogWarning("The connection receiving progress from other instances was lost ({Reason}); reconnecting with backoff", e.Message);
                await Task.Delay(retry.Next(), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            finally
            {
                if (connection is not null) await connection.DisposeAsync();
                connection = null;
            }
        }
    }

    private async Task<NpgsqlConnection> Listen(CancellationToken cancellationToken)
    {
        var connection = await Open(ListenerName, cancellationToken);
        try
        {
            connection.Notification += OnNotification;
            await using var listen = new NpgsqlCommand($"LISTEN {Channel}", connection);
            await listen.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>On the listener's connection: only decoding and queueing, never a subscriber.</summary>
    private void OnNotification(object sender, NpgsqlNotificationEventArgs notification)
    {
        if (notification.Channel != Channel) return;
        if (ProgressNotification.Decode(notification.Payload) is not { } decoded)
        {
            logger.LogDebug("Ignored a notification on {Channel} that is not progress", Channel);
            return;
        }
        if (decoded.From == InstanceId) return; // delivered here already when it was published
        incoming.TryWrite(decoded.Update);
        ReportDropped();
    }

    private async Task DeliverLoop(CancellationToken cancellationToken)
    {
        try
        {
            while (await incoming.ReadAsync(cancellationToken) is { } update)
            {
                try
                {
                    broadcaster.DeliverFromElsewhere(update);
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "A progress subscriber failed on {Update} from another instance", update.Key);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>A dedicated, unpooled connection: LISTEN must not go back to the pool (which resets it), nor wait behind EF's work.</summary>
    private async Task<NpgsqlConnection> Open(string applicationName, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            ApplicationName = applicationName,
            Pooling = false,
            // Npgsql pings an idle connection, so a silently dropped one (a network cut) ends the wait too.
            KeepAlive = 15,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Queues drop only when thousands of keys wait at once; said once in the process's life.</summary>
    private void ReportDropped()
    {
        if (outgoing.Dropped + incoming.Dropped > 0 && Interlocked.Exchange(ref droppedLogged, 1) == 0)
            logger.LogWarning("Progress events were dropped: more than {MaxKeys} runs and imports waited to be relayed at once", outgoing.MaxKeys);
    }

    /// <summary>Doubling delays between attempts, and whether the failure is the first of an outage (to log once).</summary>
    private sealed class Backoff
    {
        private TimeSpan next = FirstRetry;
        private bool failing;

        public bool FirstFailure()
        {
            bool first = !failing;
            failing = true;
            return first;
        }

        public bool Recovered()
        {
            bool was = failing;
            failing = false;
            next = FirstRetry;
            return was;
        }

        public TimeSpan Next()
        {
            var delay = next;
            next = TimeSpan.FromTicks(Math.Min(next.Ticks * 2, LastRetry.Ticks));
            return delay;
        }
    }
}
