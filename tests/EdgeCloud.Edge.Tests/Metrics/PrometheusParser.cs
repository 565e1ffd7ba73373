using System.Globalization;
using System.Text;

namespace EdgeCloud.Edge.Tests.Metrics;

/// <summary>
/// A tiny parser of the Prometheus text format 0.0.4, strict enough to catch what a scraper would
/// refuse: bad names, unterminated or badly escaped label values, unparsable numbers, a HELP or
/// TYPE line twice for one family.
/// </summary>
internal sealed class PrometheusParser
{
    private PrometheusParser()
    {
    }

    public List<Sample> Samples { get; } = [];

    public Dictionary<string, string> Types { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Help { get; } = new(StringComparer.Ordinal);

    public static PrometheusParser Parse(string text)
    {
        var parsed = new PrometheusParser();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var rest = line[7..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                var name = rest[..space];
                var target = line[2] == 'H' ? parsed.Help : parsed.Types;
                Assert.True(target.TryAdd(name, rest[(space + 1)..]), $"a second {line[2..6]} line for {name}");
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            parsed.Samples.Add(ParseSample(line));
        }

        return parsed;
    }

    public double Value(string name, params (string Name, string Value)[] labels) =>
        Find(name, labels) ?? throw new Xunit.Sdk.XunitException($"no sample {name} {string.Join(",", labels)}");

    public double? Find(string name, params (string Name, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value))
            .Select(s => (double?)s.Value).FirstOrDefault();

    private static Sample ParseSample(string line)
    {
        var i = 0;
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] is '_' or ':'))
        {
            i++;
        }

        var name = line[..i];
        Assert.Matches("^[a-zA-Z_:][a-zA-Z0-9_:]*$", name);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                var label = line[i..eq];
                Assert.Matches("^[a-zA-Z_][a-zA-Z0-9_]*$", label);
                Assert.Equal('"', line[eq + 1]);
                i = eq + 2;
                var value = new StringBuilder();
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        i++;
                        value.Append(line[i] switch
                        {
                            'n' => '\n',
                            '\\' => '\\',
                            '"' => '"',
                            _ => throw new Xunit.Sdk.XunitException($"bad escape \\{line[i]} in {line}"),
                        });
                    }
                    else
                    {
                        value.Append(line[i]);
                    }

                    i++;
                }

                Assert.True(labels.TryAdd(label, value.ToString()), $"label {label} twice in {line}");
                i++;
                if (line[i] == ',')
                {
                    i++;
                }
            }

            i++;
        }

        Assert.Equal(' ', line[i]);
        var number = line[(i + 1)..];
        var parsedValue = number switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new Sample(name, labels, parsedValue);
    }

    internal sealed record Sample(string Name, Dictionary<string, string> Labels, double Value);
}
