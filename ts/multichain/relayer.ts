// Local packet relayer: carries LayerZero packets between the Anvil chains of a LocalNetwork. For every `PacketSent`
// on a source endpoint it calls `validatePacket` on the destination's local message library (which verifies the
// payload hash on the destination endpoint) and then executes `lzReceive` on the destination endpoint. Local only:
// there is no DVN or executor security here.
//
// Resume: with a `stateFile`, the relayer persists per-source-eid cursors (next block to scan) and the GUIDs it has
// delivered (JSON, written atomically after every step). A new relayer on the same file carries on where the old one
// stopped. The file is only a shortcut: before touching a packet the relayer asks the destination endpoint whether it
// was already executed (payload hash cleared and nonce <= lazyInboundNonce) or already verified (payload hash set),
// so a crash between any two steps never delivers a packet twice or loses one.
import {existsSync, mkdirSync, readFileSync, renameSync, writeFileSync} from "node:fs";
import path from "node:path";
import {parseAbi, parseEventLogs, zeroHash, type Hex} from "viem";
import {anvilAccount} from "../lib/accounts.ts";
import {send} from "../lib/tx.ts";
import type {LocalChain, LocalNetwork} from "./deploy.ts";
import {bytes32ToAddress, decodePacket, type Packet} from "./packet.ts";

export const endpointAbi = parseAbi([
  "event PacketSent(bytes encodedPayload, bytes options, address sendLibrary)",
  "function lzReceive((uint32 srcEid, bytes32 sender, uint64 nonce) origin, address receiver, bytes32 guid, bytes message, bytes extraData) payable",
  "function inboundPayloadHash(address receiver, uint32 srcEid, bytes32 sender, uint64 nonce) view returns (bytes32)",
  "function lazyInboundNonce(address receiver, uint32 srcEid, bytes32 sender) view returns (uint64)",
]);
export const messageLibAbi = parseAbi(["function validatePacket(bytes packetBytes)"]);

export interface Delivery {
  packet: Packet;
  ok: boolean;
  error?: string;
}

/** Where a packet stands on its destination endpoint. */
export type InboundStatus = "pending" | "verified" | "delivered";

/** A relay step, reported to {@link RelayerOptions.onStep} (tests use it to simulate a crash between steps). */
export type RelayStep = "validated" | "delivered";

/** The persisted relayer state (JSON). */
export interface RelayerState {
  /** Next block to scan per source endpoint id. */
  cursors: Record<string, string>;
  /** GUIDs of packets delivered by this relayer (a shortcut; the destination endpoint is the authority). */
  delivered: Hex[];
  /** Packets whose lzReceive reverted: retried (verification skipped) on every pass until they go through. */
  failed: Hex[];
}

export interface RelayerOptions {
  /** JSON file holding the relayer's cursors and delivered GUIDs; omitted: in memory only. */
  stateFile?: string;
  /** Called after each step; an exception thrown here propagates out of `relay()` like a crash would. */
  onStep?: (step: RelayStep, packet: Packet) => void | Promise<void>;
}

export class LocalRelayer {
  private readonly account = anvilAccount(3); // a dedicated relayer key
  private readonly state: RelayerState;
  private readonly delivered: Set<Hex>;

  constructor(
    private readonly net: LocalNetwork,
    private readonly opts: RelayerOptions = {},
  ) {
    this.state = loadState(opts.stateFile);
    this.delivered = new Set(this.state.delivered);
  }

  /** Snapshot of the persisted state. */
  get snapshot(): RelayerState {
    return structuredClone(this.state);
  }

  /** Delivers every packet sent since the last call (or the last run on the same state file) and retries earlier
   *  failures; a failed `lzReceive` is reported and kept for the next pass. */
  async relay(): Promise<Delivery[]> {
    const out: Delivery[] = [];
    for (const encoded of [...this.state.failed]) {
      const d = await this.deliver(encoded);
      if (d) out.push(d);
    }
    for (const src of this.net.chains) {
      const key = String(src.spec.eid);
      const latest = await src.client.getBlockNumber({cacheTime: 0}); // no cache: blocks land between passes
      const from = BigInt(this.state.cursors[key] ?? "0");
      if (from > latest) continue;
      const logs = await src.client.getLogs({address: src.deployment.endpoint, fromBlock: from, toBlock: latest});
      for (const log of parseEventLogs({abi: endpointAbi, logs, eventName: "PacketSent"})) {
        const d = await this.deliver(log.args.encodedPayload);
        if (d) out.push(d);
      }
      this.state.cursors[key] = String(latest + 1n);
      this.save();
    }
    return out;
  }

  /** Where `packet` stands on its destination endpoint. */
  async status(packet: Packet): Promise<InboundStatus> {
    const dst = this.net.byEid(packet.dstEid);
    const receiver = bytes32ToAddress(packet.receiver);
    const [hash, lazy] = await Promise.all([
      dst.client.readContract({
        address: dst.deployment.endpoint,
        abi: endpointAbi,
        functionName: "inboundPayloadHash",
        args: [receiver, packet.srcEid, packet.sender, packet.nonce],
      }),
      dst.client.readContract({
        address: dst.deployment.endpoint,
        abi: endpointAbi,
        functionName: "lazyInboundNonce",
        args: [receiver, packet.srcEid, packet.sender],
      }),
    ]);
    if (hash !== zeroHash) return "verified";
    // lzReceive clears the hash and moves lazyInboundNonce up to the nonce; an unverified packet has neither.
    return packet.nonce <= lazy ? "delivered" : "pending";
  }

  /** Delivers one packet unless it already was; undefined when there was nothing to do. */
  private async deliver(encoded: Hex): Promise<Delivery | undefined> {
    const packet = decodePacket(encoded);
    if (this.delivered.has(packet.guid)) return undefined;
    const status = await this.status(packet);
    if (status === "delivered") {
      this.markDelivered(packet, encoded);
      return undefined;
    }
    const dst = this.net.byEid(packet.dstEid);
    if (status === "pending") {
      const err = await this.tryTx(dst, {address: dst.deployment.messageLib, abi: messageLibAbi, functionName: "validatePacket", args: [encoded]});
      if (err !== undefined) return this.fail(packet, encoded, err);
      await this.opts.onStep?.("validated", packet);
    }
    const origin = {srcEid: packet.srcEid, sender: packet.sender, nonce: packet.nonce};
    const receiver = bytes32ToAddress(packet.receiver);
    const err = await this.tryTx(dst, {
      address: dst.deployment.endpoint,
      abi: endpointAbi,
      functionName: "lzReceive",
      args: [origin, receiver, packet.guid, packet.message, "0x"],
    });
    if (err !== undefined) return this.fail(packet, encoded, err);
    await this.opts.onStep?.("delivered", packet);
    this.markDelivered(packet, encoded);
    return {packet, ok: true};
  }

  private markDelivered(packet: Packet, encoded: Hex): void {
    this.delivered.add(packet.guid);
    this.state.delivered.push(packet.guid);
    this.state.failed = this.state.failed.filter((e) => e !== encoded);
    this.save();
  }

  private fail(packet: Packet, encoded: Hex, error: string): Delivery {
    if (!this.state.failed.includes(encoded)) this.state.failed.push(encoded);
    this.save();
    return {packet, ok: false, error};
  }

  /** Simulates then sends; returns the first line of the error, or undefined on success. */
  private async tryTx(
    dst: LocalChain,
    req: {address: Hex; abi: readonly unknown[]; functionName: string; args: readonly unknown[]},
  ): Promise<string | undefined> {
    try {
      await send({client: dst.client, rpcUrl: dst.anvil.rpcUrl, chainId: dst.spec.chainId}, this.account, req);
      return undefined;
    } catch (e) {
      return (e instanceof Error ? e.message : String(e)).split("\n")[0] ?? "";
    }
  }

  private save(): void {
    const file = this.opts.stateFile;
    if (!file) return;
    mkdirSync(path.dirname(file), {recursive: true});
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.state, null, 2)}\n`);
    renameSync(tmp, file); // atomic: a crash leaves the old or the new state, never half of one
  }
}

function loadState(file: string | undefined): RelayerState {
  if (!file || !existsSync(file)) return {cursors: {}, delivered: [], failed: []};
  const raw = JSON.parse(readFileSync(file, "utf8")) as Partial<RelayerState>;
  return {cursors: raw.cursors ?? {}, delivered: raw.delivered ?? [], failed: raw.failed ?? []};
}
