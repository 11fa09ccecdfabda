namespace SemiCmr.Web.Hosting;

/// <summary>The bundled demo dataset ("Demo" section).</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    public bool Enabled { get; set; }
}
