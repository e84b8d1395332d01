// Local packet relayer: carries LayerZero packets between the Anvil chains of a LocalNetwork. For every `PacketSent`
// on a source endpoint it calls `validatePacket` on the destination's local message library (which verifies the
// payload hash on the destination endpoint) and then executes `lzReceive` on the destination endpoint. Local only:
// there is no DVN or executor security here.
import {createWalletClient, http, parseAbi, parseEventLogs, type Hex} from "viem";
import {foundry} from "viem/chains";
import {anvilAccount} from "../lib/accounts.ts";
import type {LocalNetwork} from "./deploy.ts";
import {bytes32ToAddress, decodePacket, type Packet} from "./packet.ts";

export const endpointAbi = parseAbi([
  "event PacketSent(bytes encodedPayload, bytes options, address sendLibrary)",
  "function lzReceive((uint32 srcEid, bytes32 sender, uint64 nonce) origin, address receiver, bytes32 guid, bytes message, bytes extraData) payable",
  "function inboundPayloadHash(address receiver, uint32 srcEid, bytes32 sender, uint64 nonce) view returns (bytes32)",
]);
export const messageLibAbi = parseAbi(["function validatePacket(bytes packetBytes)"]);

export interface Delivery {
  packet: Packet;
  ok: boolean;
  error?: string;
}

export class LocalRelayer {
  private readonly fromBlock = new Map<number, bigint>();
  private readonly account = anvilAccount(3); // a dedicated relayer key

  constructor(private readonly net: LocalNetwork) {}

  /** Delivers every packet sent since the last call; a failed `lzReceive` is reported (the packet stays retryable). */
  async relay(): Promise<Delivery[]> {
    const out: Delivery[] = [];
    for (const src of this.net.chains) {
      const latest = await src.client.getBlockNumber({cacheTime: 0}); // no cache: blocks land between passes
      const from = this.fromBlock.get(src.spec.eid) ?? 0n;
      if (from > latest) continue;
      const logs = await src.client.getLogs({address: src.deployment.endpoint, fromBlock: from, toBlock: latest});
      this.fromBlock.set(src.spec.eid, latest + 1n);
      for (const log of parseEventLogs({abi: endpointAbi, logs, eventName: "PacketSent"})) {
        out.push(await this.deliver(log.args.encodedPayload));
      }
    }
    return out;
  }

  private async deliver(encoded: Hex): Promise<Delivery> {
    const packet = decodePacket(encoded);
    const dst = this.net.byEid(packet.dstEid);
    const chain = {...foundry, id: dst.spec.chainId};
    const wallet = createWalletClient({account: this.account, transport: http(dst.anvil.rpcUrl), chain});
    const receiver = bytes32ToAddress(packet.receiver);
    try {
      await this.send(dst, wallet, {address: dst.deployment.messageLib, abi: messageLibAbi, functionName: "validatePacket", args: [encoded]});
      const origin = {srcEid: packet.srcEid, sender: packet.sender, nonce: packet.nonce};
      await this.send(dst, wallet, {address: dst.deployment.endpoint, abi: endpointAbi, functionName: "lzReceive", args: [origin, receiver, packet.guid, packet.message, "0x"]});
      return {packet, ok: true};
    } catch (e) {
      return {packet, ok: false, error: (e instanceof Error ? e.message : String(e)).split("\n")[0] ?? ""};
    }
  }

  private async send(
    dst: LocalNetwork["chains"][number],
    wallet: ReturnType<typeof createWalletClient>,
    req: {address: Hex; abi: readonly unknown[]; functionName: string; args: readonly unknown[]},
  ): Promise<void> {
    const {request} = await dst.client.simulateContract({...req, account: this.account} as never);
    const hash = await wallet.writeContract(request as never);
    const receipt = await dst.client.waitForTransactionReceipt({hash});
    if (receipt.status !== "success") throw new Error(`${req.functionName} reverted on eid ${dst.spec.eid}`);
  }
}
