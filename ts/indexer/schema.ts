// One schema for both stores (PGlite and PostgreSQL), created idempotently at open.
// - events: every log of a watched contract, decoded by its ABI; `args` holds the named arguments (uint/int as decimal
//   strings, addresses checksummed, bytes as 0x hex). Key (chain_id, block_number, log_index).
// - blocks: the headers the indexer fetched (blocks with events and each batch's last block): hash, parent, time.
//   They are what a reorg is checked against.
// - contracts: the watched contracts per chain; `dynamic` ones were found through an event (DealFactory.DealCreated:
//   the deal and its two tranche tokens) and go away with a reorg that removes that event.
// - chains: the cursor per chain: the last block indexed and its hash (everything up to it is in the tables).
// - referrals: the points referral bindings (ts/points/referrals.ts), each signed by its referee (EIP-712); not chain
//   data, so a reorg or a re-index leaves them alone.
// The views below name the event groups issue 15 lists, over `events`.
export const SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS chains (
     chain_id integer PRIMARY KEY,
     name text NOT NULL,
     start_block bigint NOT NULL,
     cursor_block bigint,
     cursor_hash text
   )`,
  `CREATE TABLE IF NOT EXISTS blocks (
     chain_id integer NOT NULL,
     number bigint NOT NULL,
     hash text NOT NULL,
     parent_hash text NOT NULL,
     block_time bigint NOT NULL,
     PRIMARY KEY (chain_id, number)
   )`,
  `CREATE TABLE IF NOT EXISTS contracts (
     chain_id integer NOT NULL,
     address text NOT NULL,
     name text NOT NULL,
     from_block bigint NOT NULL,
     dynamic boolean NOT NULL,
     PRIMARY KEY (chain_id, address)
   )`,
  `CREATE TABLE IF NOT EXISTS events (
     chain_id integer NOT NULL,
     block_number bigint NOT NULL,
     log_index integer NOT NULL,
     block_hash text NOT NULL,
     tx_hash text NOT NULL,
     tx_index integer NOT NULL,
     block_time bigint NOT NULL,
     address text NOT NULL,
     contract text NOT NULL,
     event text NOT NULL,
     args jsonb NOT NULL,
     PRIMARY KEY (chain_id, block_number, log_index)
   )`,
  // a Uniswap v3 pool's two tokens (token0 < token1), for the points of an LP position's AID or sAID side
  `ALTER TABLE contracts ADD COLUMN IF NOT EXISTS token0 text`,
  `ALTER TABLE contracts ADD COLUMN IF NOT EXISTS token1 text`,
  `CREATE TABLE IF NOT EXISTS referrals (
     referee text PRIMARY KEY,
     referrer text NOT NULL,
     deadline numeric NOT NULL,
     signature text NOT NULL,
     bound_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX IF NOT EXISTS referrals_referrer ON referrals (referrer)`,
  `CREATE INDEX IF NOT EXISTS events_contract_event ON events (contract, event)`,
  `CREATE INDEX IF NOT EXISTS events_address ON events (chain_id, address)`,
  // an account's AID transfers (balances, points) without a scan
  `CREATE INDEX IF NOT EXISTS aid_transfers_from ON events (lower(args->>'from')) WHERE contract = 'AID' AND event = 'Transfer'`,
  `CREATE INDEX IF NOT EXISTS aid_transfers_to ON events (lower(args->>'to')) WHERE contract = 'AID' AND event = 'Transfer'`,
  // an account's AID and sAID transfers (the page's account lookup, GET /api/accounts/:address) without a scan
  `CREATE INDEX IF NOT EXISTS token_transfers_from ON events (lower(args->>'from')) WHERE event = 'Transfer' AND contract IN ('AID', 'StakedAID', 'StakedAIDOFT')`,
  `CREATE INDEX IF NOT EXISTS token_transfers_to ON events (lower(args->>'to')) WHERE event = 'Transfer' AND contract IN ('AID', 'StakedAID', 'StakedAIDOFT')`,
  // AID transfers on every chain (mints have from = 0, burns to = 0)
  `CREATE OR REPLACE VIEW aid_transfers AS
     SELECT chain_id, block_number, log_index, tx_hash, block_time,
            lower(args->>'from') AS "from", lower(args->>'to') AS "to", (args->>'value')::numeric AS value
     FROM events WHERE contract = 'AID' AND event = 'Transfer'`,
  // OFT sends and receives of AID, sAID and GAIB (adapters and OFTs); amount in local decimals
  `CREATE OR REPLACE VIEW oft_transfers AS
     SELECT chain_id, block_number, log_index, tx_hash, block_time, contract, event, args->>'guid' AS guid,
            COALESCE(args->>'dstEid', args->>'srcEid')::bigint AS peer_eid,
            lower(COALESCE(args->>'fromAddress', args->>'toAddress')) AS account,
            COALESCE(args->>'amountSentLD', args->>'amountReceivedLD')::numeric AS amount
     FROM events WHERE event IN ('OFTSent', 'OFTReceived')`,
  ...(
    [
      ["aid_escrow", `contract = 'AID' AND event IN ('Escrowed', 'EscrowReleased')`],
      ["minter_events", `contract = 'AIDMinter'`],
      ["reserve_events", `contract = 'AIDReserve'`],
      ["said_events", `contract = 'StakedAID'`],
      ["deal_events", `contract IN ('DealFactory', 'GpuDeal', 'TrancheToken')`],
      ["staking_events", `contract IN ('StakingVault', 'VetoSlasher', 'NodeRegistry')`],
      ["oracle_events", `contract IN ('TelemetryOracle', 'RevenueReporter', 'OracleRevenueAdapter')`],
      // Uniswap v3: the AID/USDC and sAID/AID pools (Initialize, Mint, Burn, Collect, Swap) and the position manager
      // (IncreaseLiquidity, DecreaseLiquidity, Collect, Transfer of the position NFTs)
      ["pool_events", `contract IN ('AIDUSDCPool', 'SAIDAIDPool', 'PositionManager')`],
    ] as const
  ).map(
    ([view, where]) => `CREATE OR REPLACE VIEW ${view} AS
     SELECT chain_id, block_number, log_index, tx_hash, block_time, address, contract, event, args FROM events WHERE ${where}`,
  ),
];
