// Test peer for EdgeCloud.Edge.OpcUa.Tests: a node-opcua server with a namespace of changing
// variables, a writable node, None, Basic256Sha256 and Aes128_Sha256_RsaOaep endpoints, anonymous and user/password
// identities. Usage: node server.js --port N --pki DIR [--bulk N] [--period MS]
// Prints "READY <port>" once it listens; stops on SIGTERM/SIGINT or when stdin closes.
"use strict";
const path = require("path");
const opcua = require("node-opcua");

function arg(name, fallback) {
  const i = process.argv.indexOf("--" + name);
  return i > 0 ? process.argv[i + 1] : fallback;
}

async function main() {
  const port = parseInt(arg("port", "4840"), 10);
  const pki = arg("pki", path.join(__dirname, ".pki"));
  const bulk = parseInt(arg("bulk", "0"), 10);
  const period = parseInt(arg("period", "100"), 10);
  const hostname = "localhost";

  const serverCertificateManager = new opcua.OPCUACertificateManager({
    rootFolder: path.join(pki, "server"),
    automaticallyAcceptUnknownCertificate: true,
  });
  await serverCertificateManager.initialize();

  const server = new opcua.OPCUAServer({
    port,
    hostname,
    alternateHostname: ["localhost", "127.0.0.1"],
    serverCertificateManager,
    resourcePath: "/UA/EdgeCloudTest",
    buildInfo: { productName: "EdgeCloudTestPeer" },
    maxConnectionsPerEndpoint: 1000,
    serverCapabilities: { maxSessions: 1000, operationLimits: { maxMonitoredItemsPerCall: 20000, maxNodesPerRead: 20000, maxNodesPerBrowse: 20000 } },
    // The standard nodeset (namespace 0 in full) makes a start take many seconds on a busy
    // machine; the tests need only the base types, so the small one node-opcua ships is used.
    nodeset_filename: [path.join(path.dirname(require.resolve("node-opcua-address-space/package.json")), "nodesets", "mini.Nodeset2.xml")],
    securityPolicies: [opcua.SecurityPolicy.None, opcua.SecurityPolicy.Basic256Sha256, opcua.SecurityPolicy.Aes128_Sha256_RsaOaep],
    securityModes: [opcua.MessageSecurityMode.None, opcua.MessageSecurityMode.Sign, opcua.MessageSecurityMode.SignAndEncrypt],
    allowAnonymous: true,
    userManager: {
      isValidUser: (user, password) => user === "operator" && password === "secret-pw",
    },
  });
  await server.initialize();

  const addressSpace = server.engine.addressSpace;
  const ns = addressSpace.registerNamespace("urn:edgecloud:test");
  const plant = ns.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: "Plant", nodeId: "s=Plant" });

  const state = { tick: 0, setpoint: 12.5, text: "hello" };
  const variable = (name, dataType, get, extra) =>
    ns.addVariable(Object.assign({
      componentOf: plant, browseName: name, nodeId: "s=" + name, dataType,
      minimumSamplingInterval: 10,
      accessLevel: "CurrentRead", userAccessLevel: "CurrentRead",
      value: { get: () => new opcua.Variant(get()) },
    }, extra || {}));

  variable("Temperature", "Double", () => ({ dataType: opcua.DataType.Double, value: 20 + Math.sin(state.tick / 5) * 5 }));
  variable("Counter", "Int32", () => ({ dataType: opcua.DataType.Int32, value: state.tick }));
  variable("Running", "Boolean", () => ({ dataType: opcua.DataType.Boolean, value: state.tick % 2 === 0 }));
  variable("Status", "String", () => ({ dataType: opcua.DataType.String, value: "tick-" + state.tick }));
  variable("Profile", "Double", () => ({
    dataType: opcua.DataType.Double, arrayType: opcua.VariantArrayType.Array,
    value: [state.tick, state.tick + 0.5, state.tick + 1],
  }), { valueRank: 1, arrayDimensions: [3] });
  variable("Constant", "Double", () => ({ dataType: opcua.DataType.Double, value: 42 }));
  ns.addVariable({
    componentOf: plant, browseName: "Setpoint", nodeId: "s=Setpoint", dataType: "Double", minimumSamplingInterval: 10,
    accessLevel: "CurrentRead | CurrentWrite", userAccessLevel: "CurrentRead | CurrentWrite",
    value: {
      get: () => new opcua.Variant({ dataType: opcua.DataType.Double, value: state.setpoint }),
      set: (v) => { state.setpoint = v.value; return opcua.StatusCodes.Good; },
    },
  });
  ns.addVariable({
    componentOf: plant, browseName: "Label", nodeId: "s=Label", dataType: "String", minimumSamplingInterval: 10,
    accessLevel: "CurrentRead | CurrentWrite", userAccessLevel: "CurrentRead | CurrentWrite",
    value: {
      get: () => new opcua.Variant({ dataType: opcua.DataType.String, value: state.text }),
      set: (v) => { state.text = v.value; return opcua.StatusCodes.Good; },
    },
  });

  if (bulk > 0) {
    const folder = ns.addFolder(addressSpace.rootFolder.objects, { browseName: "Bulk", nodeId: "s=Bulk" });
    for (let i = 0; i < bulk; i++) {
      const id = i;
      ns.addVariable({
        componentOf: folder, browseName: "B" + id, nodeId: "i=" + (100000 + id), dataType: "Double",
        minimumSamplingInterval: 10,
        value: { get: () => new opcua.Variant({ dataType: opcua.DataType.Double, value: state.tick + id }) },
      });
    }
  }

  const timer = setInterval(() => { state.tick++; }, period);
  await server.start();
  process.stdout.write("READY " + server.endpoints[0].port + "\n");

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    try { await server.shutdown(0); } catch (e) { /* already down */ }
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.stdin.on("end", stop);
  process.stdin.resume();
}

main().catch((err) => { process.stderr.write("FAILED " + (err && err.stack || err) + "\n"); process.exit(1); });
