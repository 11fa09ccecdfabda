using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SemiCmr.Web.Hosting;

/// <summary>
/// Whether this process trains runs, and how workers share the queue ("Worker" section). On SQLite the one app trains
/// from its in-process queue; on PostgreSQL any number of workers (apps with Enabled, or <c>semicmr worker</c>) claim
/// runs from the database and hold each with a lease they renew while training (<c>Runs.RunLeases</c>).
/// </summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>False: this instance serves only and never trains (the web instances of a team deployment).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>PostgreSQL: how long a claim holds a run without being renewed; a run whose worker died waits this long.</summary>
    [Range(0.5, 3600, ErrorMessage = "Worker:LeaseSeconds must be between {1} and {2}.")]
    public double LeaseSeconds { get; set; } = 30;

    /// <summary>
    /// PostgreSQL: how often the worker renews its lease and checks whether the run was cancelled on another instance
    /// (so a cancel takes at most this long to reach it); below LeaseSeconds.
    /// </summary>
    [Range(0.05, 3600, ErrorMessage = "Worker:RenewSeconds must be between {1} and {2}.")]
    public double RenewSeconds { get; set; } = 5;

    /// <summary>PostgreSQL: how long an idle worker waits before asking the database for a queued run again.</summary>
    [Range(0.05, 60, ErrorMessage = "Worker:PollSeconds must be between {1} and {2}.")]
    public double PollSeconds { get; set; } = 1.5;

    /// <summary>PostgreSQL: how often every instance looks for runs whose lease expired and puts them back in the queue.</summary>
    [Range(0.05, 3600, ErrorMessage = "Worker:RecoverySeconds must be between {1} and {2}.")]
    public double RecoverySeconds { get; set; } = 10;

    /// <summary>PostgreSQL: how many workers may start a run whose worker keeps dying before it becomes interrupted.</summary>
    [Range(1, 100, ErrorMessage = "Worker:MaxAttempts must be between {1} and {2}.")]
    public int MaxAttempts { get; set; } = 3;

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);
    public TimeSpan Renew => TimeSpan.FromSeconds(RenewSeconds);
    public TimeSpan Poll => TimeSpan.FromSeconds(PollSeconds);
    public TimeSpan Recovery => TimeSpan.FromSeconds(RecoverySeconds);
}

/// <summary>A lease renewed no sooner than it expires would be lost by every healthy worker.</summary>
public sealed class WorkerOptionsRules : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions options) =>
        options.RenewSeconds * 2 > options.LeaseSeconds
            ? ValidateOptionsResult.Fail(
                $"Worker:RenewSeconds ({options.RenewSeconds}) must be at most half of Worker:LeaseSeconds ({options.LeaseSeconds}), "
                + "or a worker that is a little slow to renew loses the run it is training.")
            : ValidateOptionsResult.Success;
}
