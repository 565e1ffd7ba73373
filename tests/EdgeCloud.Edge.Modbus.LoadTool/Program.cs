using EdgeCloud.Edge.Modbus.LoadTool;

// Usage: dotnet run -c Release --project tests/EdgeCloud.Edge.Modbus.LoadTool -- tcp|rtu|polls [count]
var mode = args.Length > 0 ? args[0] : "tcp";
var count = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
return mode switch
{
    "tcp" => await TcpRoundTrips.RunAsync(count > 0 ? count : 20_000),
    "rtu" => await RtuTransactions.RunAsync(count > 0 ? count : 2_000),
    "polls" => await PollSoak.RunAsync(count > 0 ? count : 10_000),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: EdgeCloud.Edge.Modbus.LoadTool tcp|rtu|polls [count]");
    return 64;
}
