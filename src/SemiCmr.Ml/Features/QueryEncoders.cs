using System.Text.Json;
using SemiCmr.Ml.Import;

namespace SemiCmr.Ml.Features;

/// <summary>
/// Encodes free-text and image queries for one stored dataset exactly as its stored rows were encoded
/// (same models, same preprocessing, the dataset's own fitted TF-IDF). Load once per dataset and reuse;
/// the ResNet and MiniLM models themselves are shared by the whole process.
/// </summary>
public sealed class QueryEncoders : IDisposable
{
    private readonly TfidfTextEncoder? _tfidf;
    private readonly bool _miniLm;
    private readonly ImageLimits _limits;

    private QueryEncoders(TfidfTextEncoder? tfidf, bool miniLm, bool resnet, string? whyNotText, string? whyNotImages, ImageLimits limits)
    {
        _tfidf = tfidf;
        _miniLm = miniLm;
        CanEncodeImages = resnet;
        WhyNotText = whyNotText;
        WhyNotImages = whyNotImages;
        _limits = limits;
    }

    public bool CanEncodeText => WhyNotText is null;

    /// <summary>
    /// Bytes this dataset's encoders hold: its TF-IDF vocabulary, if it has one. The MiniLM and ResNet-18 sessions are
    /// shared by every dataset for the life of the process, so unloading one dataset's encoders frees none of them.
    /// </summary>
    public long EstimatedBytes => _tfidf?.EstimatedBytes ?? 0;
    public bool CanEncodeImages { get; }

    /// <summary>Why free-text queries are not possible on this dataset (null when they are).</summary>
    public string? WhyNotText { get; }

    /// <summary>Why image queries are not possible on this dataset (null when they are).</summary>
    public string? WhyNotImages { get; }

    public static QueryEncoders Load(string datasetFolder, ImageLimits? limits = null)
    {
        string textKind = Kind(Path.Combine(datasetFolder, DatasetWriter.TextEncoderFile));
        string imageKind = Kind(Path.Combine(datasetFolder, DatasetWriter.ImageEncoderFile));
        var tfidf = textKind == "tfidf" ? TfidfTextEncoder.Load(Path.Combine(datasetFolder, DatasetWriter.TextEncoderFile)) : null;
        string? whyNotText = textKind is "minilm" or "tfidf" ? null
            : "this dataset came with its own text features, so a free-text query cannot be turned into the same kind of features; search by an item instead";
        string? whyNotImages = imageKind == "resnet18" ? null
            : "this dataset came with its own image features, so an uploaded image cannot be turned into the same kind of features; search by an item instead";
        return new QueryEncoders(tfidf, textKind == "minilm", imageKind == "resnet18", whyNotText, whyNotImages, limits ?? ImageLimits.Default);
    }

    /// <summary>The same features as the dataset's text_features.npy row for this text.</summary>
    public float[] EncodeText(string text)
    {
        if (WhyNotText is not null) throw new InvalidOperationException(WhyNotText);
        return _miniLm ? MiniLmTextEncoder.Shared.Encode(text) : _tfidf!.Encode(text);
    }

    /// <summary>The same features as an image_features.npy row; throws <see cref="ImageRejectedException"/> for unusable images.</summary>
    public float[] EncodeImage(Stream imageFile)
    {
        if (WhyNotImages is not null) throw new InvalidOperationException(WhyNotImages);
        using var buffer = new MemoryStream();
        // Copy at most one byte past the limit: enough to know the file is too large without reading all of it.
        var chunk = new byte[81920];
        int read;
        while ((read = imageFile.Read(chunk)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > _limits.MaxFileBytes)
                throw new ImageRejectedException($"the file is larger than the limit of {_limits.MaxFileBytes / 1_048_576.0:0.#} MB");
        }
        using var image = ImageLoader.Load(buffer.ToArray(), _limits);
        return ResNetImageEncoder.Shared.Encode(image.Pixels);
    }

    /// <summary>The "kind" of an encoder file; a dataset without one (feature-only, older imports) counts as "given".</summary>
    private static string Kind(string path)
    {
        if (!File.Exists(path)) return "given";
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.TryGetProperty("kind", out var kind) ? kind.GetString() ?? "given" : "given";
    }

    /// <summary>Nothing to release per dataset: the models are process-wide; kept for the web app's cache.</summary>
    public void Dispose() { }
}
