// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ShippedConfig
/// @notice The shipped configs (script/config) as the script tests run them: the same files with the placeholder
///         addresses (`0x5afe0000…`) swapped for fixture addresses (`0xf1c70000…`), since the scripts refuse
///         placeholders on the real chain ids those tests run on ({ChainConfig.refusePlaceholders}).
///         `ConfigPlaceholders.t.sol` checks that each copy equals its shipped file but for that swap. After changing
///         a file in script/config, regenerate the copies:
///         for n in ethereum arbitrum plume; do
///             sed 's/0x5afe0000/0xf1c70000/g' script/config/$n.json > test/fixtures/config-shipped/$n.json
///         done
library ShippedConfig {
    /// @notice The copies' folder (pass it as `configDir`, or as `GAIB_CONFIG_DIR` to the forge scripts).
    string internal constant DIR = "test/fixtures/config-shipped";
    /// @notice What the copies replace: the leading digits of every placeholder address ...
    string internal constant PLACEHOLDER_PREFIX = "0x5afe0000";
    /// @notice ... and what they put instead.
    string internal constant FIXTURE_PREFIX = "0xf1c70000";
}
