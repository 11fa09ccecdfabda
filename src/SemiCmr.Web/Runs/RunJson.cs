using System.Text.Json;
using SemiCmr.Ml.Training;

namespace SemiCmr.Web.Runs;

/// <summary>How run options are stored in SQLite and shown by the API: camelCase, every option spelled out.</summary>
public static class RunJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Serialize(TrainingOptions options) => JsonSerializer.Serialize(options, Options);

    public static TrainingOptions Deserialize(string json) => JsonSerializer.Deserialize<TrainingOptions>(json, Options) ?? TrainingOptions.Default;
}
