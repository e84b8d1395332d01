// Worker-thread entry of ts/nodes/signer.ts: plain JS that loads the TypeScript worker through tsx (worker threads
// do not inherit the parent's loader, under `tsx` or vitest alike).
import {tsImport} from "tsx/esm/api";

await tsImport("./signerWorkerMain.ts", import.meta.url);
