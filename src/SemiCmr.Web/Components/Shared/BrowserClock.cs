namespace SemiCmr.Web.Components.Shared;

/// <summary>The browser's time zone for this circuit (set by the layout once the browser has answered).</summary>
public sealed class BrowserClock
{
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Local;

    public event Action? Changed;

    public void SetTimeZone(string? id)
    {
        if (string.IsNullOrEmpty(id) || !TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)) return;
        Zone = zone;
        Changed?.Invoke();
    }

    public DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);
}
