using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SemiCmr.Web.Hosting;

/// <summary>
/// Which database the app keeps its rows in ("Database" section): the embedded SQLite file under Data:Directory (the
/// default, nothing to start) or a shared PostgreSQL with pgvector (ConnectionStrings:SemiCmr) for a team deployment.
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public const string ConnectionStringName = "SemiCmr";

    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    [Required]
    [RegularExpression("^(sqlite|postgres)$", ErrorMessage = "Database:Provider must be 'sqlite' or 'postgres'.")]
    public string Provider { get; set; } = Sqlite;

    /// <summary>ConnectionStrings:SemiCmr, read from the ConnectionStrings section (used by the postgres provider only).</summary>
    public string? ConnectionString { get; set; }

    public bool IsPostgres => Provider == Postgres;
}

/// <summary>The postgres provider needs a connection string; refused at start with the setting's name.</summary>
public sealed class DatabaseOptionsRules : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options) =>
        options.IsPostgres && string.IsNullOrWhiteSpace(options.ConnectionString)
            ? ValidateOptionsResult.Fail(
                $"Database:Provider is 'postgres' but ConnectionStrings:{DatabaseOptions.ConnectionStringName} is empty: "
                + "set it to the PostgreSQL server, for example 'Host=db;Username=semicmr;Password=...;Database=semicmr'.")
            : ValidateOptionsResult.Success;
}
