// Operator CLI errors: every refusal is a CliError with a stable, documented message prefix (see ERRORS_HELP), printed
// on stderr with exit code 1. Nothing is sent when a check fails.
import {BaseError, ContractFunctionRevertedError} from "viem";

export class CliError extends Error {}

/** The documented error messages (prefixes are stable: scripts and tests match on them). */
export const ERRORS_HELP = `
Errors (stderr, exit code 1; nothing is sent):
  missing key: ...           a command that signs needs --key <0x…> or GAIB_KEY (node report: --node-key or GAIB_NODE_KEY)
  no chain: ...              nothing answers at --rpc / GAIB_RPC
  wrong chain: ...           the RPC's chain id differs from --chain or from the deployment record's chain
  no deployment: ...         no deployment record at --deployment (default deployments/local/<chainId>.json)
  unknown node ...           the node id is not registered in the NodeRegistry (or not in the epoch tree)
  unknown operator ...       the address is not a registered operator of the StakingVault
  insufficient stake: ...    GAIB balance below the amount, self-stake below the minimum, fewer delegated shares
                             than asked, or no stake weight for the epoch being attested
  not the node signer: ...   the node key is not the signer registered for the node, or (attest) a report is not
                             node-signed (wrong or non-canonical signature, node not active in the epoch)
  no forged leaf: ...        challenge: every leaf of the tree is node-signed, there is nothing to prove
  reverted: <Error>(args)    the contract rejected the call (custom error decoded from the ABI)
`;

export const missingKey = (what = "--key <0x…> or set GAIB_KEY") => new CliError(`missing key: pass ${what}`);

/** The custom error behind a failed simulation, as `reverted: Name(args)`; other errors pass through. */
export function describeRevert(e: unknown): Error {
  if (e instanceof CliError) return e;
  if (e instanceof BaseError) {
    const revert = e.walk((x) => x instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError && revert.data?.errorName) {
      const args = (revert.data.args ?? []).map((a) => String(a)).join(", ");
      return new CliError(`reverted: ${revert.data.errorName}(${args})`);
    }
    return new CliError(e.shortMessage);
  }
  return e instanceof Error ? e : new Error(String(e));
}
