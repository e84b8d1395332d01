// One signing/verifying thread (see signer.ts): answers {id, result} per job, in order.
import {parentPort, workerData} from "node:worker_threads";
import {SignerCore, type SignerInit} from "./signer.ts";
import type {Telemetry} from "./telemetry.ts";

type Job =
  | {id: number; kind: "sign"; idx: Int32Array; reports: Telemetry[]}
  | {id: number; kind: "verify"; idx: Int32Array; sigs: Uint8Array; digests?: Uint8Array; reports?: Telemetry[]}
  | {id: number; kind: "warm"}
  | {id: number; kind: "pubs"}
  | {id: number; kind: "backend"};

const core = new SignerCore(workerData as SignerInit);
parentPort!.on("message", (j: Job) => {
  try {
    if (j.kind === "sign") {
      const r = core.sign(j.idx, j.reports);
      parentPort!.postMessage({id: j.id, result: r}, [r.digests.buffer as ArrayBuffer, r.sigs.buffer as ArrayBuffer, r.leaves.buffer as ArrayBuffer]);
    } else if (j.kind === "verify") {
      const r = core.verify(j.idx, j.sigs, j.digests, j.reports);
      parentPort!.postMessage({id: j.id, result: r}, [r.buffer as ArrayBuffer]);
    } else if (j.kind === "pubs") {
      const r = core.publicKeys();
      parentPort!.postMessage({id: j.id, result: r}, [r.buffer as ArrayBuffer]);
    } else if (j.kind === "backend") {
      parentPort!.postMessage({id: j.id, result: core.backend});
    } else {
      parentPort!.postMessage({id: j.id, result: core.warm()});
    }
  } catch (e) {
    parentPort!.postMessage({id: j.id, result: e instanceof Error ? e : new Error(String(e))});
  }
});
