using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace EdgeCloud.Edge.Agent.Cli.Doctor;

/// <summary>The network and serial reachability checks.</summary>
internal sealed partial class AgentDoctor
{
    private const int ReadWrite = 4 | 2; // R_OK | W_OK of access(2)

    private static async Task<CheckResult> CheckTcpAsync(string name, string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(host, port, deadline.Token);
            return new CheckResult(CheckOutcome.Ok, name, $"{host}:{port} accepts TCP connections");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new CheckResult(CheckOutcome.Fail, name, $"{host}:{port} did not answer within {timeout.TotalMilliseconds:F0} ms (wrong address, or a firewall drops the packets)");
        }
        catch (SocketException ex)
        {
            return new CheckResult(CheckOutcome.Fail, name, $"{host}:{port}: {ex.SocketErrorCode} ({ex.Message})");
        }
    }

    private static CheckResult CheckSerial(string name, string port)
    {
        if (!File.Exists(port))
        {
            return new CheckResult(CheckOutcome.Fail, name, $"{port} is not present (adapter unplugged, or another name: ls /dev/serial/by-id)");
        }

        // access(2) rather than open(2): opening a tty may block waiting for carrier, and would
        // disturb a line the running agent is using.
        if (Access(port, ReadWrite) != 0)
        {
            return new CheckResult(CheckOutcome.Fail, name, $"{port} is not readable and writable by {Environment.UserName} (errno {Marshal.GetLastPInvokeError()}): the service user must be in the device's group (dialout)");
        }

        return new CheckResult(CheckOutcome.Ok, name, $"{port} present, read/write for {Environment.UserName}");
    }

    [LibraryImport("libc", EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);
}
