using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using SemiCmr.Ml.Samples;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Progress;

namespace SemiCmr.Web.Tests.Relay;

/// <summary>
/// Two app instances on one data folder and one PostgreSQL database, as behind a load balancer: what one trains or
/// imports shows live on the other (PostgresProgressRelay, LISTEN/NOTIFY).
/// </summary>
public sealed class CrossInstanceProgressTests
{
    private const string PostgresOnly = "progress crosses instances through PostgreSQL's LISTEN/NOTIFY; on SQLite there is one instance";

    private static readonly FeatureSampleSpec Spec = FeatureSampleSpec.SingleLabel with { TrainItems = 300, TestItems = 80 };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheRelayRunsOnlyOnPostgres()
    {
        await using var app = SemiCmrApp.InTempFolders();
        _ = app.Services; // started
        Assert.Equal(TestDatabase.IsPostgres, app.Services.GetRequiredService<PostgresProgressRelay>().IsActive);
    }

    [Fact]
    public async Task ARunAndAnImportOnOneInstanceShowLiveOnAnother()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, PostgresOnly);
        await using var a = SemiCmrApp.InTempFolders();
        await using var b = new SemiCmrApp(a.DataDirectory, a.ImportRoot) { Settings = { ["Worker:Enabled"] = "false" } }; // serves only: A trains
        var onA = Watch(a.Services.GetRequiredService<RunProgressBroadcaster>());
        var onB = Watch(b.Services.GetRequiredService<RunProgressBroadcaster>());
        await using var hub = b.CreateHubConnection();
        var hubRuns = Channel.CreateUnbounded<RunProgressEvent>();
        hub.On<RunProgressEvent>(RunsHub.ProgressMethod, e => hubRuns.Writer.TryWrite(e));
        await hub.StartAsync(Cancel);

        // Imported on A (A's import queue reads it): B's subscribers see its end.
        int datasetId = await a.ImportFolder(FeatureSamples.Write(Path.Combine(a.ImportRoot, "features"), Spec));
        var importOnB = await UntilFinal(onB.Imports, e => e.DatasetId == datasetId);
        // A small import may finish within one throttle interval: its phases can coalesce into the final event.
        Assert.Equal(("ready", Spec.TrainItems + Spec.TestItems), (importOnB[^1].Status, importOnB[^1].ItemCount));

        // Trained on A (it was submitted there and goes to A's worker): B's hub client and B's subscribers see it live.
        var run = await a.StartRun(new { datasetId, method = "sscmr", labelRatio = 0.1, seed = 2, options = new { stage1Epochs = 15, stage2Epochs = 15 } });
        Assert.True(await hub.InvokeAsync<bool>("Watch", run.Id, Cancel));
        var throughHub = await UntilFinal(hubRuns, e => e.RunId == run.Id);
        var onBRuns = await UntilFinal(onB.Runs, e => e.RunId == run.Id);
        var onARuns = await UntilFinal(onA.Runs, e => e.RunId == run.Id);

        foreach (var seen in new[] { throughHub, onBRuns })
        {
            Assert.Contains(seen, e => e is { Status: "running", Stage: "commonSpace" } && e.Loss.ContainsKey("total"));
            Assert.Equal(("succeeded", true), (seen[^1].Status, seen[^1].IsFinal));
            Assert.Single(seen, e => e.IsFinal);
            Assert.InRange(seen[^1].Metrics!.MapI2T, 0.01, 1);
            Assert.Equal(seen.OrderBy(e => e.Progress).Select(e => e.Progress), seen.Select(e => e.Progress)); // in order
        }
        // B received what A sent out, in order, once; A's own events did not come back to it.
        Assert.Equal(onARuns.Select(e => (e.Epoch, e.Stage, e.Status)), onBRuns.Select(e => (e.Epoch, e.Stage, e.Status)));
        Assert.Single(onARuns, e => e.IsFinal);
        Assert.Null(b.Services.GetRequiredService<RunProgressBroadcaster>().Current(run.Id));
    }

    [Fact]
    public async Task ALateWatcherOnAnotherInstanceGetsTheRunsLatestLiveState()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, PostgresOnly);
        await using var a = SemiCmrApp.InTempFolders();
        await using var b = new SemiCmrApp(a.DataDirectory, a.ImportRoot) { Settings = { ["Worker:Enabled"] = "false" } }; // serves only: A trains
        var onB = Watch(b.Services.GetRequiredService<RunProgressBroadcaster>());

        // A run id with no row: only the relay can tell B about it.
        a.Services.GetRequiredService<RunProgressBroadcaster>().Publish(
            new RunProgressEvent(987_654, "running", "commonSpace", 3, 10, 0.4, new Dictionary<string, double> { ["total"] = 0.25 }));
        await onB.Runs.Reader.ReadAsync(Timeout(10));

        await using var hub = b.CreateHubConnection();
        var hubRuns = Channel.CreateUnbounded<RunProgressEvent>();
        hub.On<RunProgressEvent>(RunsHub.ProgressMethod, e => hubRuns.Writer.TryWrite(e));
        await hub.StartAsync(Cancel);
        Assert.True(await hub.InvokeAsync<bool>("Watch", 987_654, Cancel));
        var current = await hubRuns.Reader.ReadAsync(Timeout(10));
        Assert.Equal((3, 0.25), (current.Epoch, current.Loss["total"]));
    }

    [Fact]
    public async Task AHostWithoutWebServerOrHubPublishesToTheInstances()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, PostgresOnly);
        await using var web = SemiCmrApp.InTempFolders();
        var onWeb = Watch(web.Services.GetRequiredService<RunProgressBroadcaster>());
        string connection = web.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString!;

        // What a training worker process builds: a generic host from the app's registration extensions.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Data:Directory"] = web.DataDirectory,
            ["Database:Provider"] = DatabaseOptions.Postgres,
            ["ConnectionStrings:SemiCmr"] = connection,
        });
        builder.AddSemiCmrOptions();
        builder.AddDatabase();
        builder.AddProgress();
        using var worker = builder.Build();
        await worker.StartAsync(Cancel);
        worker.Services.GetRequiredService<RunProgressBroadcaster>().Publish(
            new RunProgressEvent(55, "succeeded", "evaluation", 1, 1, 1, new Dictionary<string, double>(), IsFinal: true));
        // Stopping right after a final event still sends it (a worker that ends after its last run).
        await worker.StopAsync(Cancel);

        var received = await onWeb.Runs.Reader.ReadAsync(Timeout(10));
        Assert.Equal((55, true), (received.RunId, received.IsFinal));
    }

    [Fact]
    public async Task ASlowSubscriberDelaysNothingButItselfAndEveryRunStillEndsWithItsFinalEvent()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, PostgresOnly);
        await using var a = SemiCmrApp.InTempFolders();
        await using var b = new SemiCmrApp(a.DataDirectory, a.ImportRoot) { Settings = { ["Worker:Enabled"] = "false" } }; // serves only: A trains
        var receiver = b.Services.GetRequiredService<RunProgressBroadcaster>();
        var relay = b.Services.GetRequiredService<PostgresProgressRelay>();
        string connection = b.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString!;
        int listener = await ListenerProcess(connection, relay.ListenerName, otherThan: null);
        using var release = new ManualResetEventSlim();
        var seen = new List<RunProgressEvent>();
        using var slow = receiver.SubscribeRuns(e =>
        {
            release.Wait(TimeSpan.FromSeconds(60)); // stuck until the burst is over
            lock (seen) seen.Add(e);
        });

        const int Runs = 300;
        var publisher = a.Services.GetRequiredService<RunProgressBroadcaster>();
        for (int epoch = 1; epoch <= 5; epoch++)
        {
            for (int run = 1; run <= Runs; run++)
                publisher.Publish(new RunProgressEvent(run, "running", "commonSpace", epoch, 5, epoch / 6.0, new Dictionary<string, double> { ["total"] = 1 }));
            await Task.Delay(RunProgressBroadcaster.Interval * 2, Cancel); // past the throttle: each epoch is sent
        }
        for (int run = 1; run <= Runs; run++)
            publisher.Publish(new RunProgressEvent(run, "succeeded", "evaluation", 5, 5, 1, new Dictionary<string, double>(), IsFinal: true));
        release.Set();

        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(100, Cancel))
            lock (seen) if (seen.Count(e => e.IsFinal) == Runs) break;
        lock (seen)
        {
            foreach (var run in seen.GroupBy(e => e.RunId))
            {
                Assert.True(run.Last().IsFinal, $"run {run.Key} did not end with its final event");
                Assert.Equal(run.OrderBy(e => e.Progress).Select(e => e.Progress), run.Select(e => e.Progress));
            }
            Assert.Equal(Runs, seen.Count(e => e.IsFinal));
            // While the subscriber was stuck, waiting events of a run were replaced by newer ones: far fewer than sent.
            Assert.InRange(seen.Count, Runs + 1, Runs * 6 - 1);
        }
        // The listening connection kept reading throughout (it was never the one waiting).
        Assert.Equal(listener, await ListenerProcess(connection, relay.ListenerName, otherThan: null));
    }

    [Fact]
    public async Task ARelayDisposedBeforeItIsStoppedStopsQuietly()
    {
        // WebApplicationFactory stops the host while the app's own thread disposes it: either may come first (seen in CI).
        Assert.SkipUnless(TestDatabase.IsPostgres, PostgresOnly);
        await using var app = SemiCmrApp.InTempFolders();
        var database = app.Services.GetRequiredService<IOptions<DatabaseOptions>>();
        var relay = new PostgresProgressRelay(new RunProgressBroadcaster(TimeProvider.System), database, Microsoft.Extensions.Logging.Abstractions.NullLogger<PostgresProgressRelay>.Instance);
        await relay.StartAsync(Cancel);

        await relay.DisposeAsync();
        await relay.StopAsync(Cancel);
        await relay.DisposeAsync();
    }

    [Fact]
    public async Task AListenerWhoseConnectionIsKilledListensAgain()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, PostgresOnly);
        await using var a = SemiCmrApp.InTempFolders();
        await using var b = new SemiCmrApp(a.DataDirectory, a.ImportRoot) { Settings = { ["Worker:Enabled"] = "false" } }; // serves only: A trains
        var logs = new LogCapture();
        b.TestServices = services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs);
        var onB = Watch(b.Services.GetRequiredService<RunProgressBroadcaster>());
        var publisher = a.Services.GetRequiredService<RunProgressBroadcaster>();
        var relay = b.Services.GetRequiredService<PostgresProgressRelay>();
        string connection = b.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString!;

        int first = await ListenerProcess(connection, relay.ListenerName, otherThan: null);
        Assert.Equal(1, await Scalar(connection, "SELECT count(*)::int FROM pg_terminate_backend(@pid) WHERE pg_terminate_backend", first));
        int second = await ListenerProcess(connection, relay.ListenerName, otherThan: first);
        Assert.NotEqual(first, second);

        publisher.Publish(new RunProgressEvent(31, "succeeded", "evaluation", 1, 1, 1, new Dictionary<string, double>(), IsFinal: true));
        var received = await onB.Runs.Reader.ReadAsync(Timeout(10));
        Assert.Equal((31, true), (received.RunId, received.IsFinal));
        Assert.Single(logs.AtLeast(Microsoft.Extensions.Logging.LogLevel.Warning),
            r => r.Category == typeof(PostgresProgressRelay).FullName && r.Message.Contains("was lost"));
    }

    private sealed record Watched(Channel<RunProgressEvent> Runs, Channel<ImportProgressEvent> Imports);

    /// <summary>Every run and import event of the broadcaster from now on (for the test's lifetime).</summary>
    private static Watched Watch(RunProgressBroadcaster broadcaster)
    {
        var watched = new Watched(Channel.CreateUnbounded<RunProgressEvent>(), Channel.CreateUnbounded<ImportProgressEvent>());
        broadcaster.SubscribeRuns(e => watched.Runs.Writer.TryWrite(e));
        broadcaster.SubscribeImports(e => watched.Imports.Writer.TryWrite(e));
        return watched;
    }

    private static async Task<List<TEvent>> UntilFinal<TEvent>(Channel<TEvent> events, Func<TEvent, bool> wanted) where TEvent : class
    {
        var seen = new List<TEvent>();
        await foreach (var e in events.Reader.ReadAllAsync(Timeout(180)))
        {
            if (!wanted(e)) continue;
            seen.Add(e);
            if (e is RunProgressEvent { IsFinal: true } or ImportProgressEvent { IsFinal: true }) return seen;
        }
        return seen;
    }

    private static CancellationToken Timeout(int seconds) =>
        CancellationTokenSource.CreateLinkedTokenSource(Cancel, new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token).Token;

    /// <summary>The backend of the instance's listening connection (a new one than <paramref name="otherThan"/>), waiting for it.</summary>
    private static async Task<int> ListenerProcess(string connection, string applicationName, int? otherThan)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(100, Cancel))
        {
            await using var db = new NpgsqlConnection(connection);
            await db.OpenAsync(Cancel);
            await using var find = new NpgsqlCommand(
                "SELECT pid FROM pg_stat_activity WHERE application_name = @name AND pid <> @other AND datname = current_database()", db);
            find.Parameters.AddWithValue("name", applicationName);
            find.Parameters.AddWithValue("other", otherThan ?? 0);
            if (await find.ExecuteScalarAsync(Cancel) is int pid) return pid;
        }
        throw new TimeoutException($"No listening connection named {applicationName}.");
    }

    private static async Task<int> Scalar(string connection, string sql, int pid)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(sql, db);
        command.Parameters.AddWithValue("pid", pid);
        return (int)(await command.ExecuteScalarAsync(Cancel))!;
    }
}
