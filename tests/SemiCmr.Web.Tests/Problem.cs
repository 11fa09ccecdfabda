using System.Net;
using System.Net.Http.Json;

namespace SemiCmr.Web.Tests;

/// <summary>An RFC 7807 validation problem as the API sends it.</summary>
public sealed record Problem(string? Title, int Status, string? Detail, Dictionary<string, string[]> Errors)
{
    public static async Task<Problem> Read(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<Problem>(Json.Options);
        Assert.NotNull(problem);
        Assert.Equal((int)expected, problem.Status);
        return problem with { Errors = problem.Errors ?? [] };
    }
}
