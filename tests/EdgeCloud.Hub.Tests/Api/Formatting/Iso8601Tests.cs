using EdgeCloud.Hub.Api.Formatting;

namespace EdgeCloud.Hub.Tests.Api.Formatting;

public sealed class Iso8601Tests
{
    [Theory]
    [InlineData(0L, "1970-01-01T00:00:00Z")]
    [InlineData(1L, "1970-01-01T00:00:00.000000001Z")]
    [InlineData(1_700_000_000_500_000_000L, "2023-11-14T22:13:20.5Z")]
    [InlineData(1_700_000_000_123_456_789L, "2023-11-14T22:13:20.123456789Z")]
    [InlineData(-1L, "1969-12-31T23:59:59.999999999Z")]
    [InlineData(long.MaxValue, "2262-04-11T23:47:16.854775807Z")]
    public void FormatUnixNanos_Value_FullPrecisionUtc(long nanos, string expected)
    {
        Assert.Equal(expected, Iso8601.FormatUnixNanos(nanos));
        Assert.True(Iso8601.TryParseUnixNanos(expected, out var back));
        Assert.Equal(nanos, back);
    }

    [Theory]
    [InlineData("2023-11-14T22:13:20Z", 1_700_000_000_000_000_000L)]
    [InlineData("2023-11-14T22:13:20", 1_700_000_000_000_000_000L)]
    [InlineData("2023-11-14t22:13:20z", 1_700_000_000_000_000_000L)]
    [InlineData("2023-11-14T23:13:20+01:00", 1_700_000_000_000_000_000L)]
    [InlineData("2023-11-14T23:13:20 01:00", 1_700_000_000_000_000_000L)]
    [InlineData("2023-11-14T21:43:20-0030", 1_700_000_000_000_000_000L)]
    [InlineData("2023-11-14T22:13Z", 1_699_999_980_000_000_000L)]
    [InlineData("2023-11-14", 1_699_920_000_000_000_000L)]
    [InlineData("2023-11-14T22:13:20.1Z", 1_700_000_000_100_000_000L)]
    [InlineData("2023-11-14T22:13:20,000000001Z", 1_700_000_000_000_000_001L)]
    public void TryParseUnixNanos_Accepted(string text, long expected)
    {
        Assert.True(Iso8601.TryParseUnixNanos(text, out var nanos));
        Assert.Equal(expected, nanos);
    }

    [Theory]
    [InlineData("")]
    [InlineData("now")]
    [InlineData("1700000000")]
    [InlineData("2023-11-14T22:13:20.1234567891Z")]
    [InlineData("2023-02-30T00:00:00Z")]
    [InlineData("2023-11-14T24:00:00Z")]
    [InlineData("2023-11-14T22:13:20+15:00")]
    [InlineData("1600-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("11/14/2023 22:13:20")]
    [InlineData(" 2023-11-14T22:13:20Z")]
    public void TryParseUnixNanos_Rejected(string text) => Assert.False(Iso8601.TryParseUnixNanos(text, out _));
}
