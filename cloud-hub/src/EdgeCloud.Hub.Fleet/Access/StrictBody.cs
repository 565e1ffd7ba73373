using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace EdgeCloud.Hub.Fleet.Access;

/// <summary>
/// Reads a JSON object body field by field: a field the route does not take is refused with 400 naming it,
/// a read-only one (tenant, role, certificate thumbprint, ids the hub assigns) with 400 saying it is
/// read-only; nothing of such a body is applied.
/// </summary>
internal sealed class StrictBody
{
    private static readonly HashSet<string> ReadOnlyFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "tenant", "tenantId", "role", "thumbprint", "certificateThumbprint", "certificateSerial", "serial", "enrolledAt", "revokedAt", "createdBy",
    };

    private readonly JsonElement _root;

    private StrictBody(JsonElement root) => _root = root;

    /// <summary>Parses the body and checks its field names against <paramref name="allowed"/>; throws a 400 naming every bad field.</summary>
    public static StrictBody Parse(JsonElement body, params string[] allowed)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new FleetRequestException(StatusCodes.Status400BadRequest, "Invalid body", "the body must be a JSON object");
        }

        var problems = new List<string>();
        foreach (var property in body.EnumerateObject())
        {
            if (allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                continue;
            }

            problems.Add(ReadOnlyFields.Contains(property.Name)
                ? $"field '{property.Name}' is read-only here"
                : $"field '{property.Name}' is unknown (allowed: {string.Join(", ", allowed)})");
        }

        return problems.Count > 0
            ? throw new FleetRequestException(StatusCodes.Status400BadRequest, "Invalid body", string.Join("; ", problems))
            : new StrictBody(body);
    }

    public string? String(string name, bool required)
    {
        if (!_root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? throw Missing(name) : null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new FleetRequestException(StatusCodes.Status400BadRequest, "Invalid body", $"field '{name}' must be a string");
    }

    public IReadOnlyList<string> Strings(string name)
    {
        if (!_root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            throw new FleetRequestException(StatusCodes.Status400BadRequest, "Invalid body", $"field '{name}' must be an array of strings");
        }

        return [.. value.EnumerateArray().Select(v => v.GetString()!).Distinct(StringComparer.Ordinal)];
    }

    public long? Integer(string name)
    {
        if (!_root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : throw new FleetRequestException(StatusCodes.Status400BadRequest, "Invalid body", $"field '{name}' must be an integer");
    }

    public bool? Boolean(string name)
    {
        if (!_root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : throw new FleetRequestException(StatusCodes.Status400BadRequest, "Invalid body", $"field '{name}' must be true or false");
    }

    /// <summary>A JSON object field, as its raw JSON text.</summary>
    public string Object(string name)
    {
        return _root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value.GetRawText()
            : throw new FleetRequestException(StatusCodes.Status400BadRequest, "Invalid body", $"field '{name}' is required and must be a JSON object");
    }

    /// <summary>An object of string values (command arguments); empty when absent.</summary>
    public IReadOnlyDictionary<string, string> StringMap(string name)
    {
        if (!_root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return new Dictionary<string, string>();
        }

        if (value.ValueKind != JsonValueKind.Object || value.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.String))
        {
            throw new FleetRequestException(StatusCodes.Status400BadRequest, "Invalid body", $"field '{name}' must be an object of string values");
        }

        return value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
    }

    private static FleetRequestException Missing(string name) => new(StatusCodes.Status400BadRequest, "Invalid body", $"field '{name}' is required");
}
