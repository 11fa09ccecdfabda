using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace SemiCmr.Web.Data;

/// <summary>
/// The one place a time meets the database (applied to every DateTime and DateTime? property by
/// <see cref="SemiCmrDb"/>'s conventions). SQLite keeps no kind, so times are stored as UTC and read back with
/// <see cref="DateTimeKind.Utc"/>: the API's JSON then ends in 'Z' and the UI converts to the browser's zone exactly.
/// </summary>
/// <remarks>
/// A Local or Unspecified time is refused, not converted: every writer uses DateTime.UtcNow, so another kind is a
/// bug at the call site. Local could be converted exactly, but Unspecified could only be guessed (which zone?), and a
/// guess would store a time shifted by hours without a word; one loud rule for both finds the bug in the first test.
/// </remarks>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(time => Stored(time), stored => Read(stored))
{
    private static DateTime Stored(DateTime time) => time.Kind == DateTimeKind.Utc ? time
        : throw new InvalidOperationException(
            $"A DateTime of kind {time.Kind} ({time:O}) was about to be stored; SemiCmr stores UTC only (DateTime.UtcNow or TimeProvider.GetUtcNow().UtcDateTime).");

    private static DateTime Read(DateTime stored) => DateTime.SpecifyKind(stored, DateTimeKind.Utc);
}
