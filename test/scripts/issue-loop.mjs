// Issues COUNT replica certificates named PREFIX-<i> into DIR through the built library, one lock each.
// Used by the concurrency and crash tests (run as separate processes).
import { issue, systemDeps } from "../../dist/index.js";

const [dir, prefix, countText] = process.argv.slice(2);
const deps = systemDeps();
for (let i = 0; i < Number(countText); i++) {
  issue({ dir, name: `${prefix}-${i}`, role: "replica" }, deps);
}
