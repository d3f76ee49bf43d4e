// Validates rendered Kubernetes manifests against their schemas (kubernetes-models and the KEDA, Prometheus
// Operator and Strimzi model packages). Usage: node validate-manifests.mjs FILE...   Exit 1 on any invalid object.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const packages = {
  "keda.sh": "@kubernetes-models/keda",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "kafka.strimzi.io": "@kubernetes-models/strimzi-kafka-operator",
};

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const pkg = packages[group];
  const path = pkg ? `${pkg}/${group}/${version}/${kind}` : `kubernetes-models/${group ? group + "/" : ""}${version}/${kind}`;
  const module = await import(path + ".js").catch(() => import(path));
  return module[kind] ?? module.default;
}

let failures = 0;
let checked = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    const object = doc.toJS();
    if (!object) continue;
    const where = `${file}: ${object.kind}/${object.metadata?.name}`;
    try {
      const Model = await modelFor(object.apiVersion, object.kind);
      if (!Model) throw new Error(`no model for ${object.apiVersion} ${object.kind}`);
      new Model(object).validate();
      checked++;
    } catch (e) {
      failures++;
      console.error(`INVALID ${where}: ${e.message}`);
    }
  }
}
console.log(`${checked} object(s) valid, ${failures} invalid`);
process.exit(failures === 0 && checked > 0 ? 0 : 1);
