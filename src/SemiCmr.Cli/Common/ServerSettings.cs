using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Common;

/// <summary>
/// The options of every command that talks to a running app: where it is and the API token to show it. Commands
/// connect through <see cref="Connect"/> and check their own options after <see cref="ValidateServer"/>.
/// </summary>
public abstract class ServerSettings : CommandSettings
{
    [CommandOption("--server <URL>")]
    [Description("The running SemiCmr app to talk to (its REST API).")]
    [DefaultValue("http://localhost:5000")]
    public string Server { get; set; } = "http://localhost:5000";

    [CommandOption("--token <TOKEN>")]
    [Description("An API token (scmr_...) for a server with accounts, sent as Authorization: Bearer; create one on the server's API tokens page. Default: the SEMICMR_TOKEN environment variable.")]
    public string? Token { get; set; }

    /// <summary>A client of the server, carrying the token (given, else SEMICMR_TOKEN).</summary>
    public SemiCmrServer Connect() => SemiCmrServer.Connect(Server, Token);

    /// <summary>Null when --server is an http(s) address, else the error.</summary>
    protected ValidationResult? ValidateServer() =>
        Uri.TryCreate(Server, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? null
            : ValidationResult.Error($"--server must be an http(s) address such as http://localhost:5000, got '{Server}'.");
}
