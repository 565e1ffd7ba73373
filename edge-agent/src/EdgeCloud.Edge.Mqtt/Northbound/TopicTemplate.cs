using System.Text;

namespace EdgeCloud.Edge.Mqtt.Northbound;

/// <summary>
/// A topic template such as <c>plant/{agent}/{device}/{tag}</c>, parsed once. The config loader
/// has already refused unknown fields and wildcards; device and tag names cannot hold '/', '+'
/// or '#', so a formatted topic is always one valid topic name. Immutable.
/// </summary>
internal sealed class TopicTemplate
{
    private readonly (string Literal, int Field)[] _parts;

    public TopicTemplate(string template)
    {
        Text = template;
        var parts = new List<(string, int)>();
        var at = 0;
        while (at < template.Length)
        {
            var open = template.IndexOf('{', at);
            if (open < 0)
            {
                parts.Add((template[at..], -1));
                break;
            }

            var close = template.IndexOf('}', open);
            parts.Add((template[at..open], -1));
            parts.Add(("", template[(open + 1)..close] switch { "agent" => 0, "device" => 1, _ => 2 }));
            at = close + 1;
        }

        _parts = [.. parts.Where(p => p.Item1.Length > 0 || p.Item2 >= 0)];
    }

    public string Text { get; }

    public string Format(string agent, string device, string tag)
    {
        var builder = new StringBuilder(Text.Length + device.Length + tag.Length + agent.Length);
        foreach (var (literal, field) in _parts)
        {
            builder.Append(field switch { 0 => agent, 1 => device, 2 => tag, _ => literal });
        }

        return builder.ToString();
    }
}
