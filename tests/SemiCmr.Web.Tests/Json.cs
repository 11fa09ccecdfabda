using System.Text.Json;
using System.Text.Json.Serialization;

namespace SemiCmr.Web.Tests;

/// <summary>The API's JSON conventions (camelCase, enums as camelCase strings), to read its responses.</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
