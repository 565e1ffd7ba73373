// node-opcua's own client, for the benchmark beside ours (tests/EdgeCloud.OpcUa.Bench):
// creates N monitored items on the bulk variables (ns=2;i=100000..), then counts data-change
// notifications for S seconds. Prints one JSON line: createMs, notifications, cpuMs.
// Usage: node bench-client.js --endpoint URL --items N --seconds S --sampling MS
"use strict";
const opcua = require("node-opcua");

function arg(name, fallback) {
  const i = process.argv.indexOf("--" + name);
  return i > 0 ? process.argv[i + 1] : fallback;
}

async function main() {
  const endpoint = arg("endpoint");
  const items = parseInt(arg("items", "10000"), 10);
  const seconds = parseFloat(arg("seconds", "10"));
  const sampling = parseInt(arg("sampling", "250"), 10);
  const client = opcua.OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 1 } });
  await client.connect(endpoint);
  const session = await client.createSession();
  const subscription = await session.createSubscription2({
    requestedPublishingInterval: sampling, requestedMaxKeepAliveCount: 10, requestedLifetimeCount: 100,
    maxNotificationsPerPublish: 10000, publishingEnabled: true, priority: 0,
  });
  let notifications = 0;
  const toMonitor = [];
  for (let i = 0; i < items; i++) {
    toMonitor.push({ nodeId: opcua.resolveNodeId("ns=2;i=" + (100000 + i)), attributeId: opcua.AttributeIds.Value });
  }
  const start = process.hrtime.bigint();
  for (let i = 0; i < toMonitor.length; i += 1000) {
    const group = await subscription.monitorItems(toMonitor.slice(i, i + 1000),
      { samplingInterval: sampling, queueSize: 10, discardOldest: true }, opcua.TimestampsToReturn.Both);
    group.on("changed", () => { notifications++; });
  }
  const createMs = Number(process.hrtime.bigint() - start) / 1e6;
  await new Promise((r) => setTimeout(r, 1000)); // let the initial values drain
  notifications = 0;
  const cpuStart = process.cpuUsage();
  const windowStart = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpu = process.cpuUsage(cpuStart);
  const elapsedMs = Number(process.hrtime.bigint() - windowStart) / 1e6;
  const counted = notifications;
  await subscription.terminate();
  await session.close();
  await client.disconnect();
  process.stdout.write(JSON.stringify({ createMs, notifications: counted, cpuMs: (cpu.user + cpu.system) / 1000, elapsedMs }) + "\n");
  process.exit(0);
}

main().catch((err) => { process.stderr.write("FAILED " + (err && err.stack || err) + "\n"); process.exit(1); });
