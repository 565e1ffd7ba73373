using Microsoft.AspNetCore.Http;

namespace EdgeCloud.Hub.Api;

/// <summary>
/// The API's error answers, all RFC 9457 problem details: a 400 lists every bad parameter under
/// <c>errors</c> (keyed by parameter name) and repeats them in <c>detail</c>; a 404 names what is missing.
/// </summary>
internal static class ApiProblems
{
    public static IResult BadParameters(IReadOnlyDictionary<string, string> errors) =>
        TypedResults.ValidationProblem(
            errors.ToDictionary(e => e.Key, e => new[] { e.Value }, StringComparer.Ordinal),
            detail: string.Join("; ", errors.Values),
            title: "Invalid request parameters");

    public static IResult BadParameter(string name, string reason) =>
        BadParameters(new Dictionary<string, string>(StringComparer.Ordinal) { [name] = reason });

    public static IResult UnknownAgent(string agentId) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Unknown agent",
            detail: $"agent '{agentId}' is not known to this hub (it never connected)");
}
