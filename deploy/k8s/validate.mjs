// Used by validate.sh: checks each rendered object against kubernetes-models' schemas.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
const groups = {
  "v1": "v1", "apps/v1": "apps/v1", "policy/v1": "policy/v1", "rbac.authorization.k8s.io/v1": "rbac.authorization.k8s.io/v1",
};
let failed = 0;
for (const doc of parseAllDocuments(readFileSync(process.argv[2], "utf8"))) {
  const obj = doc.toJSON();
  if (!obj) continue;
  const mod = await import(`kubernetes-models/${groups[obj.apiVersion]}/${obj.kind}`);
  const Model = mod[obj.kind];
  try { new Model(obj).validate(); console.log(`ok   ${obj.kind}/${obj.metadata.name}`); }
  catch (e) { failed++; console.log(`FAIL ${obj.kind}/${obj.metadata.name}: ${e.message}`); }
}
process.exit(failed ? 1 : 0);
