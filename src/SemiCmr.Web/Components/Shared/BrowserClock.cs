namespace SemiCmr.Web.Components.Shared;

/// <summary>
/// The browser's time zone for this circuit, set once by the layout when the browser answers (theme.js reads
/// Intl.DateTimeFormat().resolvedOptions().timeZone). The server renders the page, so its own zone is nobody's:
/// until the browser has answered, <see cref="Zone"/> is null and <see cref="LocalTime"/> shows UTC, labelled.
/// </summary>
public sealed class BrowserClock
{
    public TimeZoneInfo? Zone { get; private set; }

    public event Action? Changed;

    public void SetTimeZone(string? id)
    {
        if (string.IsNullOrEmpty(id) || !TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)) return;
        Zone = zone;
        Changed?.Invoke();
    }
}
