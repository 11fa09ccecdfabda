namespace SemiCmr.Ml.Search.Pgvector;

/// <summary>
/// A PostgreSQL table of runs' embeddings for pgvector: one row per (run, side, row) with an untyped <c>vector</c>
/// column, so runs of any common-space size share it, and one HNSW index per run and side, partial
/// (<c>WHERE "RunId" = 7 AND "Side" = 0</c>) over the column cast to the run's size (<see cref="Typed"/>), which is how
/// pgvector indexes a column whose dimensions vary. The app's table is made by its migrations; the perf command makes
/// one of the same shape with <see cref="CreateSql"/>.
/// </summary>
/// <remarks>
/// One table rather than one per run: a run's rows then hang off the run by a foreign key (deleting a run or its
/// dataset deletes them in the same transaction, and a crash cannot leave a table behind), and the schema is the
/// migrations'. The price: building a partial index reads the whole table's heap once, and each insert tests every
/// run's index predicate, both small beside the graph build and the COPY themselves.
/// </remarks>
public sealed record VectorTable(string Name)
{
    public const string RunId = "RunId", Side = "Side", Row = "Row", Embedding = "Embedding";

    /// <summary>The side of a run's vectors: its image embeddings or its text embeddings.</summary>
    public const short Images = 0, Texts = 1;

    /// <summary>The app's table (PostgresSemiCmrDb maps its entity to it).</summary>
    public static VectorTable RunVectors { get; } = new("RunVectors");

    public string Quoted => Quote(Name);

    /// <summary>The HNSW index of one run's side (PostgreSQL names are at most 63 bytes: this stays well inside).</summary>
    public string IndexName(int runId, short side) => $"{Name}_Run{runId}_{(side == Images ? "Images" : "Texts")}";

    /// <summary>The column at a run's size: the expression its index is built on, and an approximate query orders by.</summary>
    public static string Typed(int dimensions) => $"\"{Embedding}\"::vector({dimensions})";

    /// <summary>A table of this shape (no foreign key: for the perf command's scratch table).</summary>
    public string CreateSql =>
        $"CREATE TABLE IF NOT EXISTS {Quoted} (\"{RunId}\" integer NOT NULL, \"{Side}\" smallint NOT NULL, \"{Row}\" integer NOT NULL, " +
        $"\"{Embedding}\" vector NOT NULL, PRIMARY KEY (\"{RunId}\", \"{Side}\", \"{Row}\"))";

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
