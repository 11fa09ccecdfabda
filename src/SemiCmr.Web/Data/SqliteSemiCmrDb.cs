using Microsoft.EntityFrameworkCore;

namespace SemiCmr.Web.Data;

/// <summary>The embedded default: one SQLite file under Data:Directory. Its migrations are in Data/Migrations/Sqlite.</summary>
public sealed class SqliteSemiCmrDb(DbContextOptions<SemiCmrDb> options) : SemiCmrDb(options);
