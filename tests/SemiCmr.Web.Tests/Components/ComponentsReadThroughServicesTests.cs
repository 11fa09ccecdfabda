using System.Text.RegularExpressions;

namespace SemiCmr.Web.Tests.Components;

/// <summary>
/// Pages and components read through the services the REST API answers with (#10), so a page and its API list show
/// the same rows: no .razor or .cs file under src/SemiCmr.Web/Components names the database context. The scan is
/// shown to catch the ways a component would reach the database, so a pass means something.
/// </summary>
public sealed partial class ComponentsReadThroughServicesTests
{
    [Fact]
    public void NoPageOrComponentQueriesTheDatabase()
    {
        string components = Path.Combine(TestPaths.RepoRoot, "src", "SemiCmr.Web", "Components");
        var files = Directory.EnumerateFiles(components, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(components, f).Replace('\\', '/'), File.ReadAllText(f)))
            .ToList();

        var offences = Scan(files);

        Assert.True(files.Count > 40, $"only {files.Count} component files found under {components}");
        Assert.True(offences.Count == 0, "Components that reach the database instead of a service (DatasetQueries, ItemQueries, RunTable, RunQueries, ...):\n"
            + string.Join("\n", offences));
    }

    [Theory]
    [InlineData("@inject IDbContextFactory<SemiCmrDb> DbFactory")]
    [InlineData("@inject SemiCmr.Web.Data.SemiCmrDb Db")]
    [InlineData("    [Inject] private IDbContextFactory<SemiCmrDb> Factory { get; set; } = default!;")]
    [InlineData("        var db = ScopedServices.GetRequiredService<SemiCmrDb>();")]
    [InlineData("public sealed class Rows(IDbContextFactory<SemiCmrDb> factory)")]
    [InlineData("        using var db = new DbContext(options);")]
    [InlineData("    private DbSet<Item> items = default!;")]
    public void TheScanCatchesEveryWayAComponentReachesTheDatabase(string line)
    {
        var offence = Assert.Single(Scan([("Pages/Bad.razor", "@page \"/bad\"\n" + line + "\n<p>bad</p>\n")]));

        Assert.Equal(("Pages/Bad.razor", 2), (offence.File, offence.Line));
    }

    [Fact]
    public void TheScanPassesAComponentThatInjectsServicesAndUsesEntities()
    {
        const string good = """
            @page "/good"
            @using SemiCmr.Web.Data
            @inject DatasetQueries Datasets
            @inject RunTable Table
            <p>@datasets?.Count datasets</p>
            @code {
                private IReadOnlyList<Dataset>? datasets;
                protected override async Task OnInitializedAsync() => datasets = await Datasets.List(new DatasetFilter());
            }
            """;

        Assert.Empty(Scan([("Pages/Good.razor", good)]));
    }

    public sealed record Offence(string File, int Line, string Text)
    {
        public override string ToString() => $"{File}:{Line}: {Text.Trim()}";
    }

    /// <summary>Every line that names the database context, its factory or EF Core's context and set types.</summary>
    private static List<Offence> Scan(IEnumerable<(string File, string Text)> files) =>
        [.. files.SelectMany(file => file.Text.Split('\n')
            .Select((text, index) => new Offence(file.File, index + 1, text))
            .Where(line => DatabaseTypes().IsMatch(line.Text)))];

    [GeneratedRegex(@"\b(SemiCmrDb|IDbContextFactory|DbContext|DbSet)\b")]
    private static partial Regex DatabaseTypes();
}
