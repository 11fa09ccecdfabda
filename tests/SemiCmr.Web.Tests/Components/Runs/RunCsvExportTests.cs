using SemiCmr.Ml.Training;
using SemiCmr.Web.Data;
using SemiCmr.Web.RunReports;

namespace SemiCmr.Web.Tests.Components.Runs;

public sealed class RunCsvExportTests
{
    private static RunRow Row(string dataset, double? i2t = 0.5, double? t2i = 0.25) => new(
        7, 1, dataset, Method.Sscmr, 0.1, 3, RunStatus.Succeeded, i2t, t2i, null, 12,
        new DateTime(2026, 11, 29, 12, 0, 0), new DateTime(2026, 11, 29, 12, 0, 0), new DateTime(2026, 11, 29, 12, 1, 30));

    [Fact]
    public void ARowHasItsMetricsMeanAndDurationInInvariantNumbers()
    {
        var line = RunCsvExport.Write([Row("wiki")]).Split('\n')[1];

        Assert.Equal("7,wiki,sscmr,0.1,3,succeeded,0.5,0.25,0.375,,12,2026-11-29T12:00:00Z,90", line);
    }

    [Fact]
    public void ANameThatLooksLikeAFormulaIsDefused() =>
        Assert.Contains(",'=HYPERLINK(1),", RunCsvExport.Write([Row("=HYPERLINK(1)")]));

    [Fact]
    public void MissingMetricsAreEmptyCells() =>
        Assert.Contains(",succeeded,,,,", RunCsvExport.Write([Row("wiki", null, null)]));
}
