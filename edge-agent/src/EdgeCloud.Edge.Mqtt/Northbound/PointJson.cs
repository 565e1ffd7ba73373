using System.Buffers;
using System.Text.Json;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Mqtt.Northbound;

/// <summary>
/// The northbound payload of one point: <c>{"value":21.5,"quality":"good","ts":"2026-01-02T03:04:05.678Z"}</c>.
/// <c>value</c> is a number, a boolean, a string, or null for a bad point; <c>quality</c> is the
/// camel-cased <see cref="PointQuality"/> name; <c>ts</c> is the source timestamp in UTC, ISO-8601.
/// </summary>
internal static class PointJson
{
    private static readonly string[] QualityNames =
        [.. Enum.GetValues<PointQuality>().Select(q => JsonNamingPolicy.CamelCase.ConvertName(q.ToString()))];

    public static byte[] Write(in DataPoint point, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            switch (point.Value.Kind)
            {
                case TagValueKind.Number when double.IsFinite(point.Value.AsDouble()):
                    json.WriteNumber("value", point.Value.AsDouble());
                    break;
                case TagValueKind.Integer:
                    json.WriteNumber("value", point.Value.AsInteger());
                    break;
                case TagValueKind.Flag:
                    json.WriteBoolean("value", point.Value.AsFlag());
                    break;
                case TagValueKind.Text:
                    json.WriteString("value", point.Value.AsText());
                    break;
                default:
                    // None, and NaN/infinity, which JSON cannot carry.
                    json.WriteNull("value");
                    break;
            }

            var quality = (int)point.Quality;
            json.WriteString("quality", quality < QualityNames.Length ? QualityNames[quality] : quality.ToString(System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("ts", point.Timestamp.UtcDateTime);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
