using System.CommandLine;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.OpcUa.Commissioning;
using EdgeCloud.Edge.OpcUa.Types;

namespace EdgeCloud.Edge.Agent.Cli;

/// <summary>
/// <c>edge-agent opcua browse|read|trust</c>: commissioning tools for OPC UA servers. They use the
/// agent's PKI folder, so a server certificate refused here is waiting in the same pending list
/// that <c>trust</c> approves from.
/// </summary>
internal static class OpcUaCommand
{
    private const string DefaultPki = "/var/lib/edge-agent/pki/opcua";

    public static Command Create() =>
        new("opcua", "Commissioning tools for OPC UA servers.") { CreateBrowse(), CreateRead(), CreateTrust() };

    private sealed record Target(Argument<string> Endpoint, Option<string> Policy, Option<string> Mode, Option<string?> User, Option<string?> Password, Option<string> Pki, Option<bool> AllowUnknown)
    {
        public static Target Create()
        {
            var policy = new Option<string>("--security-policy") { Description = "None, Basic256Sha256 or Aes128_Sha256_RsaOaep", DefaultValueFactory = _ => "None" };
            var mode = new Option<string>("--security-mode") { Description = "None, Sign or SignAndEncrypt (default: SignAndEncrypt unless the policy is None)" };
            policy.AcceptOnlyFromAmong("None", "Basic256Sha256", "Aes128_Sha256_RsaOaep", "Basic128Rsa15", "Basic256");
            mode.AcceptOnlyFromAmong("None", "Sign", "SignAndEncrypt");
            return new Target(
                new Argument<string>("endpoint") { Description = "Endpoint URL, for example opc.tcp://plc1:4840" },
                policy,
                mode,
                new Option<string?>("--user") { Description = "User name (anonymous when absent)" },
                new Option<string?>("--password") { Description = "Password of --user (sent encrypted with the server certificate)" },
                new Option<string>("--pki") { Description = $"The agent's OPC UA PKI folder (default {DefaultPki})", DefaultValueFactory = _ => DefaultPki },
                new Option<bool>("--allow-unknown-server-certificate") { Description = "Accept a server certificate that is not in trusted/ (not recommended)" });
        }

        public void AddTo(Command command)
        {
            command.Arguments.Add(Endpoint);
            command.Options.Add(Policy);
            command.Options.Add(Mode);
            command.Options.Add(User);
            command.Options.Add(Password);
            command.Options.Add(Pki);
            command.Options.Add(AllowUnknown);
        }

        public UaCliTarget Build(ParseResult parse)
        {
            var policy = parse.GetValue(Policy) ?? "None";
            var mode = parse.GetValue(Mode) switch
            {
                "None" => OpcUaSecurityMode.None,
                "Sign" => OpcUaSecurityMode.Sign,
                "SignAndEncrypt" => OpcUaSecurityMode.SignAndEncrypt,
                _ => policy == "None" ? OpcUaSecurityMode.None : OpcUaSecurityMode.SignAndEncrypt,
            };
            return new UaCliTarget(parse.GetValue(Endpoint)!, policy, mode, parse.GetValue(User), parse.GetValue(Password), parse.GetValue(Pki)!, parse.GetValue(AllowUnknown));
        }
    }

    private static Command CreateBrowse()
    {
        var target = Target.Create();
        var node = new Option<string>("--node", "-n") { Description = "Where to start (node id); default the Objects folder", DefaultValueFactory = _ => "i=85" };
        var depth = new Option<int>("--depth", "-d") { Description = "Levels to descend, 1-10", DefaultValueFactory = _ => 3 };
        var browse = new Command("browse", "Print the server's address space as a tree, with the nodeId and browsePath a tag needs.") { node, depth };
        target.AddTo(browse);
        node.Validators.Add(r =>
        {
            if (!NodeId.TryParse(r.GetValueOrDefault<string>() ?? "", out _))
            {
                r.AddError("--node takes a node id, for example i=85 or ns=2;s=Plant");
            }
        });
        depth.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 10)
            {
                r.AddError("--depth must be 1-10");
            }
        });
        browse.SetAction((parse, cancellationToken) => UaBrowseTool.RunAsync(
            target.Build(parse), NodeId.Parse(parse.GetValue(node)!), parse.GetValue(depth), Console.Out, Console.Error, TimeProvider.System, cancellationToken));
        return browse;
    }

    private static Command CreateRead()
    {
        var target = Target.Create();
        var node = new Argument<string>("node") { Description = "Node id (ns=2;s=Plant.Temperature) or browse path from Objects (2:Plant/2:Temperature)" };
        var read = new Command("read", "Read one node's value, type, status and timestamps.");
        target.AddTo(read);
        read.Arguments.Add(node);
        read.SetAction((parse, cancellationToken) => UaReadTool.RunAsync(
            target.Build(parse), parse.GetValue(node)!, Console.Out, Console.Error, TimeProvider.System, cancellationToken));
        return read;
    }

    private static Command CreateTrust()
    {
        var thumbprint = new Argument<string?>("thumbprint") { Description = "SHA-1 thumbprint of a pending server certificate to trust", Arity = ArgumentArity.ZeroOrOne };
        var list = new Option<bool>("--list", "-l") { Description = "List trusted and pending certificates" };
        var pki = new Option<string>("--pki") { Description = $"The agent's OPC UA PKI folder (default {DefaultPki})", DefaultValueFactory = _ => DefaultPki };
        var trust = new Command("trust", "List server certificates, or trust a pending one.") { thumbprint, list, pki };
        trust.Validators.Add(r =>
        {
            if (r.GetValue(list) == (r.GetValue(thumbprint) is not null))
            {
                r.AddError("give either --list or a thumbprint");
            }
        });
        trust.SetAction(parse => UaTrustTool.RunAsync(parse.GetValue(pki)!, parse.GetValue(thumbprint), Console.Out, Console.Error, TimeProvider.System).GetAwaiter().GetResult());
        return trust;
    }
}
