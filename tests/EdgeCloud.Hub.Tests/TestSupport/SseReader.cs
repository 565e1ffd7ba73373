namespace EdgeCloud.Hub.Tests.TestSupport;

/// <summary>Reads a server-sent event stream line by line.</summary>
internal static class SseReader
{
    /// <summary>Reads lines until one contains <paramref name="expected"/>; returns everything read.</summary>
    public static async Task<string> ReadUntilAsync(StreamReader reader, string expected, CancellationToken cancellationToken)
    {
        var seen = new System.Text.StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            seen.AppendLine(line);
            if (line.Contains(expected, StringComparison.Ordinal))
            {
                return seen.ToString();
            }
        }

        Assert.Fail($"the event stream ended before {expected}; it said:\n{seen}");
        return string.Empty;
    }
}
