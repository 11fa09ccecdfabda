using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SemiCmr.Web.Progress;

/// <summary>
/// The payload of a progress NOTIFY: the publishing instance (so it can skip its own) and one update, as JSON.
/// PostgreSQL refuses payloads of <see cref="MaxPayloadBytes"/> bytes or more, so <see cref="Encode"/> trims what can
/// grow (an error message, the loss terms of a method with many) until the payload fits, keeping the fields watchers
/// act on (status, stage, epoch, progress, IsFinal, metrics).
/// </summary>
public sealed record ProgressNotification(Guid From, RunProgressEvent? Run = null, ImportProgressEvent? Import = null)
{
    /// <summary>PostgreSQL's limit is "shorter than 8000 bytes" (in the server's encoding; UTF-8 is counted here).</summary>
    public const int MaxPayloadBytes = 8000;

    /// <summary>Errors are cut to this many characters before anything else is trimmed.</summary>
    public const int MaxErrorChars = 1000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // A diverging run reports NaN or infinite losses; they must travel like any other value.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    [JsonIgnore]
    public ProgressUpdate Update => new(Run, Import);

    /// <summary>The payload for <paramref name="update"/>, trimmed to fit; null only if even the trimmed event does not fit.</summary>
    public static string? Encode(Guid from, ProgressUpdate update)
    {
        var notification = new ProgressNotification(from, update.Run, update.Import);
        if (Fits(notification, out string payload)) return payload;

        notification = notification with
        {
            Run = notification.Run is { } run ? run with { Error = Cut(run.Error) } : null,
            Import = notification.Import is { } import ? import with { Error = Cut(import.Error) } : null,
        };
        if (Fits(notification, out payload)) return payload;

        if (notification.Run is { Loss.Count: > 0 } withLoss)
        {
            // Keep as many loss terms (in their order) as fit: the largest count that fits, by halving.
            var terms = withLoss.Loss.ToList();
            int low = 0, high = terms.Count - 1;
            string? best = null;
            while (low <= high)
            {
                int middle = (low + high) / 2;
                var trimmed = notification with { Run = withLoss with { Loss = terms.Take(middle).ToDictionary() } };
                if (Fits(trimmed, out payload))
                {
                    best = payload;
                    low = middle + 1;
                }
                else high = middle - 1;
            }
            return best;
        }
        return null;
    }

    /// <summary>The notification in <paramref name="payload"/>, or null when it is not one (another version, another sender).</summary>
    public static ProgressNotification? Decode(string payload)
    {
        try
        {
            var notification = JsonSerializer.Deserialize<ProgressNotification>(payload, Json);
            return notification is { From: var from } && from != Guid.Empty && notification.Update.IsWellFormed ? notification : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool Fits(ProgressNotification notification, out string payload)
    {
        payload = JsonSerializer.Serialize(notification, Json);
        return Encoding.UTF8.GetByteCount(payload) < MaxPayloadBytes;
    }

    private static string? Cut(string? error) =>
        error is { Length: > MaxErrorChars } ? error[..MaxErrorChars] + "…" : error;
}
