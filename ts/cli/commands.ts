// Operator CLI commands, one module per group under ts/cli/commands/ (ts/cli/program.ts wires them to commander).
// Each checks what it can before sending, so the documented errors (ts/cli/errors.ts) come out instead of a raw
// revert, and a command of several transactions checks the later ones' conditions before the first is sent.
export * from "./commands/common.ts";
export * from "./commands/node.ts";
export * from "./commands/operator.ts";
export * from "./commands/slash.ts";
export * from "./commands/staking.ts";
export * from "./commands/status.ts";
export * from "./commands/telemetry.ts";
export * from "./commands/time.ts";
