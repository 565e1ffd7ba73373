using System.Text;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.SerialLine;
using EdgeCloud.Edge.Modbus.Tests.Peers;
using EdgeCloud.Edge.Modbus.Tests.Support;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Modbus.Tests.SerialLine;

/// <summary>The serial-line reader in a host, reading a socat pty pair that the test writes to like a scale would.</summary>
public sealed class SerialLineReaderTests
{
    [Fact]
    public async Task RunAsync_GoodBadAndOversizedLines_GoodOnesPublishedBadOnesReportedWithTheLine()
    {
        await using var line = await SocatPtyPair.StartAsync();
        var device = new SerialLineDeviceConfig(
            "scale",
            new SerialLineConfig(line.MasterPath, 9600, SerialParity.None, 8, 1),
            "\r\n",
            null,
            SerialLineFormat.Delimited,
            ";",
            null,
            [
                new("weight", SerialLineFieldType.Number, 1, null, null, null, 0.001, 0, "kg"),
                new("stable", SerialLineFieldType.Flag, 2, null, null, null, 1, 0, null),
            ]);
        await using var host = await PollingHost.StartAsync(new SiteConfig([device]));
        await using var writer = new FileStream(line.DevicePath, FileMode.Open, FileAccess.Write);
        await host.Logs.WaitUntilAsync(4200, TimeSpan.FromSeconds(10));

        // A good line in two writes, a bad value, a line too long, then good lines again.
        await Write(writer, "W;12");
        await Write(writer, "345;1\r\n");
        await Write(writer, "W;12x45;1\r\n");
        await Write(writer, "W;" + new string('9', SerialLineReader.MaxLineLength + 10) + ";1\r\n");
        await Write(writer, "W;-500;0\r\nW;7000;1\r\n");
        await host.Sink.WaitUntilAsync(s => s.Batches("scale").Count >= 3, TimeSpan.FromSeconds(15), "3 good lines");

        var batches = host.Sink.Batches("scale");
        Assert.Equal(
            [(12.345, true), (-0.5, false), (7.0, true)],
            batches.Select(b => (Math.Round(b[0].Value.AsDouble(), 6), b[1].Value.AsFlag())));
        Assert.All(batches.SelectMany(b => b), p => Assert.Equal(PointQuality.Good, p.Quality));
        var bad = Assert.Single(host.Logs.Messages(4202)); // the second bad line comes within the log interval
        Assert.Contains("field 'weight' (index 1) is '12x45', not a number", bad, StringComparison.Ordinal);
        Assert.Contains("\"W;12x45;1\"", bad, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PortMissing_BadNotConnectedPointsAndRetries()
    {
        var device = SerialLineParserTests.Device(SerialLineFormat.Delimited, null, null, new SerialLineFieldConfig("v", SerialLineFieldType.Number, 0, null, null, null, 1, 0, null)) with
        {
            Line = new SerialLineConfig("/dev/ttyUSB-edgecloud-absent", 9600, SerialParity.None, 8, 1),
        };

        await using var host = await PollingHost.StartAsync(new SiteConfig([device]));
        await host.Sink.WaitUntilAsync(s => s.Batches("sensor").Count >= 2, TimeSpan.FromSeconds(15), "2 retries");

        Assert.All(host.Sink.Batches("sensor").SelectMany(b => b), p => Assert.Equal(PointQuality.BadNotConnected, p.Quality));
    }

    private static async Task Write(FileStream stream, string text)
    {
        await stream.WriteAsync(Encoding.Latin1.GetBytes(text));
        await stream.FlushAsync();
    }
}
