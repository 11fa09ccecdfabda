using System.Text.Json;
using System.Text.Json.Serialization;

namespace SemiCmr.Ml.Models;

/// <summary>The file names of a run folder and the JSON settings they are written with.</summary>
public static class ModelFiles
{
    public const string Manifest = "model.json";
    public const string Weights = "model.weights";
    public const string Cca = "cca.json";
    public const string ImageEmbeddings = "image_embeddings.npy";
    public const string TextEmbeddings = "text_embeddings.npy";
    public const string Predictions = "predictions.json";
    public const string Evaluation = "evaluation.json";
    public const string Labels = "labels.json";

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static void WriteJson<T>(string path, T value) =>
        File.WriteAllText(path, JsonSerializer.Serialize(value, Json));

    public static T ReadJson<T>(string path) =>
        JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json)
        ?? throw new InvalidDataException($"{path} is empty.");
}
