/**
 * The Worker's layers point one way: a folder imports only folders in the layers below it.
 * `npm test` runs this check (`depcruise worker bench/support test/support`).
 */
const LAYERS = [
  ["core"], // errors, log, digests, encodings: imports nothing of ours
  ["config", "db", "media"],
  ["http", "ai", "account", "analytics"], // analytics: Analytics Engine data points
  ["storage", "audit"],
  ["uploads"],
  ["auth"],
  ["projects", "billing"], // billing: packages, plans, orders, the payment gateways
  ["generations"], // the engine: knows apps only through its contract and the catalog it is handed
  ["apps"],
  ["admin", "credits", "health", "realtime", "account-data", "gallery", "stats"], // account-data: export and erasure of a user's data
];

const folder = (name) => `^worker/${name}/`;
const above = (index) => LAYERS.slice(index + 1).flat();

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "A cycle ties its files into one piece that can only change together.",
      from: {},
      to: { circular: true },
    },
    ...LAYERS.flatMap((layer, index) =>
      layer.map((name) => ({
        name: `layer-${name}`,
        severity: "error",
        comment: `worker/${name} may import only from the layers below it.`,
        from: { path: folder(name) },
        to: { path: [...above(index), ...layer.filter((other) => other !== name)].map(folder) },
      })),
    ),
    {
      name: "layers-known",
      severity: "error",
      comment: "Every worker/ folder has a place in LAYERS (.dependency-cruiser.cjs).",
      from: { path: "^worker/[^/]+/", pathNot: `^worker/(${LAYERS.flat().join("|")})/` },
      to: {},
    },
    {
      name: "product-without-tests",
      severity: "error",
      comment: "The deployed Worker never imports test or benchmark code.",
      from: { path: "^worker/" },
      to: { path: "^(test|bench)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    exclude: { path: "\\.d\\.ts$" },
  },
};
