using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Api;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.RunReports;

/// <summary>GET /api/runs/export.csv?datasetId&amp;method&amp;ratio&amp;status: the runs table as the filters show it, newest first.</summary>
public static class RunCsvExport
{
    public static async Task<Answer<FileContentHttpResult, Refused.Invalid>> Handle(int? datasetId, string? method, double? ratio, string? status, RunTable table, CancellationToken cancellationToken)
    {
        var filter = RunFilter.Parse(datasetId, method, ratio, status);
        if (filter.Problem is { } problem) return problem;
        var (rows, _) = await table.Query(filter.Value!, null, true, 0, RunTable.MaxRows, cancellationToken);
        return TypedResults.File(Encoding.UTF8.GetBytes(Write(rows)), "text/csv", "runs.csv");
    }

    public static string Write(IEnumerable<RunRow> rows)
    {
        var csv = new StringBuilder("id,dataset,method,labelRatio,seed,status,mapI2T,mapT2I,meanMap,stage1Accuracy,labeled,createdAt,seconds\n");
        foreach (var r in rows)
        {
            csv.AppendJoin(',', [
                Num(r.Id), Quote(r.DatasetName), r.Method.ToName(), Num(r.LabelRatio), Num(r.Seed), r.Status.ToString().ToLowerInvariant(),
                Num(r.MapI2T), Num(r.MapT2I), Num(r.MeanMap), Num(r.Stage1Accuracy), Num(r.Labeled),
                r.CreatedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                Num(r.Duration?.TotalSeconds is { } seconds ? Math.Round(seconds, 1) : null)]);
            csv.Append('\n');
        }
        return csv.ToString();
    }

    private static string Num(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    private static string Num(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    /// <summary>RFC 4180 quoting; a leading =, +, - or @ is prefixed so spreadsheets do not run it as a formula.</summary>
    private static string Quote(string value)
    {
        if (value.Length > 0 && "=+-@".Contains(value[0])) value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
