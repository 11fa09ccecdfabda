using System.Text;
using System.Text.Json;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Features;

namespace SemiCmr.Ml.Import;

/// <summary>Writes the stored dataset's metadata files: items.csv, the encoder descriptions and the import report.</summary>
internal static class DatasetWriter
{
    public const string TextEncoderFile = "text_encoder.json";
    public const string ImageEncoderFile = "image_encoder.json";
    public const string ReportFile = "import_report.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void WriteItems(string path, IReadOnlyList<DatasetItem> items, IReadOnlyList<string> classNames)
    {
        var csv = new StringBuilder("id,split,labels,image,text\n");
        foreach (var item in items)
        {
            string labels = string.Join(";", item.Labels.Select(label => classNames[label]));
            csv.Append(Field(item.Id)).Append(',').Append(item.Split.ToString().ToLowerInvariant()).Append(',')
               .Append(Field(labels)).Append(',').Append(Field(item.Image ?? "")).Append(',').Append(Field(item.Text ?? "")).Append('\n');
        }
        File.WriteAllText(path, csv.ToString(), new UTF8Encoding(false));
    }

    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";

    public static void WriteJson<T>(string path, T value) => File.WriteAllText(path, JsonSerializer.Serialize(value, Json));

    public static void WriteImageEncoder(string folder, bool given) =>
        WriteJson(Path.Combine(folder, ImageEncoderFile), given
            ? new EncoderDescription("given", null, null)
            : new EncoderDescription("resnet18", "ResNet-18 (Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1)", ResNetImageEncoder.Dimensions));

    public static void WriteTextEncoder(string folder, string kind, TfidfTextEncoder? tfidf)
    {
        var path = Path.Combine(folder, TextEncoderFile);
        if (tfidf is not null) tfidf.Save(path);
        else if (kind == "minilm") WriteJson(path, new EncoderDescription("minilm", MiniLmTextEncoder.ModelName, MiniLmTextEncoder.Dimensions));
        else WriteJson(path, new EncoderDescription("given", null, null));
    }
}

/// <summary>The shape of image_encoder.json and (except for tfidf) text_encoder.json.</summary>
internal sealed record EncoderDescription(string Kind, string? Model, int? Dimensions);
